/**
 * The llama.cpp server as the backend's parts see it: typed calls over one HTTP client, the server's
 * age and identity asked once (`/props`, `/v1/models`), and the request-body guard for old servers.
 */
import type { CallOptions } from '../../backend';
import { InvalidResponseError, NotFoundError } from '../../errors';
import type { HttpClient } from '../../http/httpClient';
import { optional, signalOf } from '../../optionalFields';
import { untilAborted } from '../../untilAborted';
import { legacySafeBody } from './request';
import { orderResults } from './response';
import {
  completionReplySchema,
  detokenizeSchema,
  modelsSchema,
  propsSchema,
  tokenizeSchema,
  type CompletionBody,
  type PropsReply,
} from './schemas';
import { isLegacyProps, type ServerInfo } from './serverInfo';

/** A tokenization as `/completion` does it for a string prompt, with each token's bytes where the server gives them. */
export interface Tokenization {
  ids: number[];
  /** Bytes of each token's piece (current and 2025 servers, `with_pieces`); absent on old servers. */
  pieces?: Uint8Array[];
}

export class LlamaCppClient {
  private infoProbe: Promise<ServerInfo> | undefined;
  private legacyBos: Promise<number> | undefined;

  constructor(readonly http: HttpClient) {}

  /** Age, identity, context size and vocabulary of the server, asked once until `forgetServer`. */
  serverInfo(options: CallOptions = {}): Promise<ServerInfo> {
    // Shared by every caller, so no one caller's signal may cancel it (the token count aborting its
    // request used to cancel a Complete waiting on the same probe); each caller stops waiting on its own.
    this.infoProbe ??= this.probe(undefined).catch((error: unknown) => {
      this.infoProbe = undefined;
      throw error;
    });
    return untilAborted(this.infoProbe, options.signal);
  }

  /** After an unexpected reply: the server may have been replaced; ask again next time. */
  forgetServer(): void {
    this.infoProbe = undefined;
    this.legacyBos = undefined;
  }

  props(signal?: AbortSignal): Promise<PropsReply> {
    return this.http.json({
      method: 'GET',
      path: '/props',
      schema: propsSchema,
      ...(signal ? { signal } : {}),
    });
  }

  /** `/completion`, non-streaming: one result per prompt sent, in order. Old servers get the safe body. */
  async completion(
    body: Record<string, unknown>,
    sent: unknown[],
    signal: AbortSignal | undefined,
  ): Promise<CompletionBody[]> {
    const info = await this.serverInfo(signal ? { signal } : {});
    const nPredict = typeof body['n_predict'] === 'number' ? body['n_predict'] : 1;
    const safe = info.legacy ? legacySafeBody(body, nPredict) : body;
    const reply = await this.http.json({
      method: 'POST',
      path: '/completion',
      body: { ...safe, stream: false },
      schema: completionReplySchema,
      ...(signal ? { signal } : {}),
    });
    return orderResults(reply, sent);
  }

  /** One prompt's `/completion`; an empty reply is an InvalidResponseError. */
  async completeOne(body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<CompletionBody> {
    const [reply] = await this.completion(body, [body['prompt']], signal);
    if (!reply) throw new InvalidResponseError('The llama.cpp server sent no completion.', '');
    return reply;
  }

  /** Tokenization as `/completion` does it for a string prompt: BOS, special tokens parsed. */
  async tokenizeWithBos(text: string, signal: AbortSignal | undefined): Promise<Tokenization> {
    const info = await this.serverInfo(signal ? { signal } : {});
    const reply = await this.http.json({
      method: 'POST',
      path: '/tokenize',
      body: { content: text, add_special: true, parse_special: true, with_pieces: true },
      schema: tokenizeSchema,
      ...(signal ? { signal } : {}),
    });
    const ids = reply.tokens.map((t) => (typeof t === 'number' ? t : t.id));
    const encoder = new TextEncoder();
    const pieces = reply.tokens.every((t) => typeof t !== 'number')
      ? reply.tokens.map((t) =>
          typeof t === 'number'
            ? new Uint8Array()
            : typeof t.piece === 'string'
              ? encoder.encode(t.piece)
              : Uint8Array.from(t.piece),
        )
      : undefined;
    // Old servers never add BOS: add it ourselves (they read `<s>` as BOS).
    if (!info.legacy) return { ids, ...optional('pieces', pieces) };
    this.legacyBos ??= this.http
      .json({
        method: 'POST',
        path: '/tokenize',
        body: { content: '<s>' },
        schema: tokenizeSchema,
        ...(signal ? { signal } : {}),
      })
      .then((bos) => (bos.tokens.length === 1 && typeof bos.tokens[0] === 'number' ? bos.tokens[0] : 1));
    return { ids: [await this.legacyBos, ...ids] };
  }

  async detokenize(ids: number[], options: CallOptions = {}): Promise<string> {
    const reply = await this.http.json({
      method: 'POST',
      path: '/detokenize',
      body: { tokens: ids },
      schema: detokenizeSchema,
      ...signalOf(options),
    });
    return reply.content;
  }

  /** One token's text as an old server writes `tok_str`. */
  piece(id: number, signal: AbortSignal | undefined): Promise<string> {
    return this.detokenize([id], signal ? { signal } : {});
  }

  private async probe(signal: AbortSignal | undefined): Promise<ServerInfo> {
    let props: PropsReply | undefined;
    try {
      props = await this.props(signal);
    } catch (error) {
      // Without /props the age is unknown: take the old server's safe path.
      if (!(error instanceof NotFoundError)) throw error;
    }
    const models = await this.http
      .json({ method: 'GET', path: '/v1/models', schema: modelsSchema, ...(signal ? { signal } : {}) })
      .catch(() => undefined);
    const meta = models?.data[0]?.meta;
    const nCtx = props?.default_generation_settings?.n_ctx ?? meta?.n_ctx ?? meta?.n_ctx_train;
    return {
      legacy: props === undefined || isLegacyProps(props),
      propsMissing: props === undefined,
      ...optional('nCtx', nCtx),
      ...optional('nVocab', meta?.n_vocab),
      ...optional('buildInfo', props?.build_info),
      ...optional('totalSlots', props?.total_slots),
      ...optional('modelPath', props?.model_path ?? models?.data[0]?.id),
    };
  }
}
