import {
  promptText,
  type Backend,
  type BackendOptions,
  type CallOptions,
  type Capabilities,
  type Completion,
  type CompletionDelta,
  type CompletionRequest,
  type CompletionResult,
  type DetokenizeRequest,
  type EvaluateRequest,
  type EvaluateResult,
  type ModelInfo,
  type Prompt,
  type Token,
  type TokenizeRequest,
} from '../../backend';
import {
  CancelledError,
  InvalidResponseError,
  NotFoundError,
  ServerError,
  UnsupportedError,
} from '../../errors';
import { HttpClient, type HttpClientHooks } from '../../http/httpClient';
import { definedEntries, optional, signalOf } from '../../optionalFields';
import { mapLlamaCppError } from './errors';
import { parseEvent } from './events';
import { legacyEvaluate } from './legacyScoring';
import { completionBody, legacySafeBody, wirePrompt } from './request';
import {
  finishReasonOf,
  isLegacyBody,
  orderResults,
  slotOf,
  sumUsage,
  tokenFromEntry,
  usageOf,
} from './response';
import {
  completionReplySchema,
  detokenizeSchema,
  healthSchema,
  modelsSchema,
  propsSchema,
  tokenizeSchema,
  type CompletionBody,
  type PropsReply,
} from './schemas';
import { resultFromScoring, scoringBody, splitTarget, type TargetSplit } from './scoring';
import { embeddingReplySchema, noEmbeddings, vectorOf } from './embeddings';
import type { TextEmbedRequest, TextEmbedResult } from '../../embeddings';
import { isLegacyProps, serverNotes, type ServerInfo } from './serverInfo';

export type { ServerInfo } from './serverInfo';

export interface LlamaCppEvaluateRequest extends EvaluateRequest {
  /** Run on this slot (its prompt cache); -1 or absent lets the server choose. */
  idSlot?: number;
}

export interface EvaluateManyOptions extends CallOptions {
  /** Used when a prompt has to be scored alone (see `evaluateMany`). */
  idSlot?: number;
}

export interface InfillRequest extends CallOptions {
  inputPrefix: string;
  inputSuffix: string;
  /** Text at the cursor, after the middle marker (ignored by old servers). */
  prompt?: string;
  /** Other files as context (ignored by old servers). */
  inputExtra?: { filename: string; text: string }[];
  maxTokens: number;
  temperature?: number;
  logProbs?: number;
  params?: Record<string, unknown>;
}

/** One more result of `evaluateMany`: which request served it (for the explain engine's cost model). */
export interface ManyEvaluation extends EvaluateResult {
  /** Index of the HTTP request that scored this prompt (several prompts can share one). */
  request: number;
  slot?: number;
}

const CURRENT_CAPABILITIES: Capabilities = {
  stream: true,
  score: true,
  explainNatively: false,
  infill: true,
  images: false,
  embed: true,
  tokenize: true,
  logProbs: true,
  notes: [],
};

/**
 * llama.cpp's own API (`/completion`, `/tokenize`, ...), current and old servers. The server's age is
 * read from `/props` once, before anything that could crash an old server is sent.
 */
export class LlamaCppBackend implements Backend {
  readonly kind = 'llama-cpp' as const;
  private readonly http: HttpClient;
  private infoProbe: Promise<ServerInfo> | undefined;
  private legacyBos: Promise<number> | undefined;

  constructor(options: BackendOptions, hooks: HttpClientHooks = {}) {
    this.http = new HttpClient(
      {
        baseUrl: options.url.replace(/\/+$/, ''),
        userAgent: `PromptLens/${PROMPT_LENS_VERSION}`,
        mapError: mapLlamaCppError,
        ...definedEntries({
          token: options.token,
          proxy: options.proxy,
          timeouts: options.timeouts,
          retry: options.retry,
          network: options.network,
          headers: options.headers,
        }),
      },
      hooks,
    );
  }

  /** Age, context size and vocabulary of the server, asked once (`/props`, `/v1/models`). */
  serverInfo(options: CallOptions = {}): Promise<ServerInfo> {
    // Shared by every caller, so no one caller's signal may cancel it (the token count aborting its
    // request used to cancel a Complete waiting on the same probe); each caller stops waiting on its own.
    this.infoProbe ??= this.probe(undefined).catch((error: unknown) => {
      this.infoProbe = undefined;
      throw error;
    });
    return untilAborted(this.infoProbe, options.signal);
  }

  async capabilities(options: CallOptions = {}): Promise<Capabilities> {
    const info = await this.serverInfo(options);
    return { ...CURRENT_CAPABILITIES, notes: serverNotes(info) };
  }

  async health(options: CallOptions = {}): Promise<{ status: string; slotsIdle?: number }> {
    const reply = await this.http.json({
      method: 'GET',
      path: '/health',
      schema: healthSchema,
      ...signalOf(options),
    });
    return reply.slots_idle === undefined
      ? { status: reply.status }
      : { status: reply.status, slotsIdle: reply.slots_idle };
  }

  async props(options: CallOptions = {}): Promise<PropsReply> {
    return this.http.json({ method: 'GET', path: '/props', schema: propsSchema, ...signalOf(options) });
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const body = await this.safeBody(completionBody(request, false), request.maxTokens, request.signal);
    const results = await this.completion(body, [body['prompt']], request.signal);
    return {
      completions: results.map((r) => completionOf(r, request.logProbs ?? 0)),
      ...optional('model', results[0]?.model),
      usage: sumUsage(results.map(usageOf)),
    };
  }

  async *stream(request: CompletionRequest): AsyncIterable<CompletionDelta> {
    const body = await this.safeBody(completionBody(request, true), request.maxTokens, request.signal);
    yield* this.deltas('/completion', body, request.logProbs ?? 0, request.signal);
  }

  /** Fill in the middle (`/infill`): the model must have FIM tokens (else UnsupportedError). */
  async infill(request: InfillRequest): Promise<CompletionResult> {
    const body: Record<string, unknown> = {
      input_prefix: request.inputPrefix,
      input_suffix: request.inputSuffix,
      n_predict: request.maxTokens,
      cache_prompt: true,
    };
    if (request.prompt !== undefined) body['prompt'] = request.prompt;
    if (request.inputExtra !== undefined) body['input_extra'] = request.inputExtra;
    if (request.temperature !== undefined) body['temperature'] = request.temperature;
    if (request.logProbs !== undefined) body['n_probs'] = Math.max(1, request.logProbs);
    const safe = await this.safeBody(
      { ...body, ...request.params, stream: false },
      request.maxTokens,
      request.signal,
    );
    const reply = await this.http.json({
      method: 'POST',
      path: '/infill',
      body: safe,
      schema: completionReplySchema,
      ...signalOf(request),
    });
    const [result] = orderResults(reply, [safe['prompt']]);
    if (!result)
      throw new InvalidResponseError(
        'The llama.cpp server sent an empty infill reply.',
        JSON.stringify(reply).slice(0, 4000),
      );
    return {
      completions: [completionOf(result, request.logProbs ?? 0)],
      ...optional('model', result.model),
      usage: usageOf(result),
    };
  }

  async evaluate(request: LlamaCppEvaluateRequest): Promise<EvaluateResult> {
    const info = await this.serverInfo(request);
    const split = await this.split(request.prompt, request.expected, info, request.signal);
    return this.scoreSplit(split, request.expected, info, request.idSlot, request.signal);
  }

  /**
   * Scores one target after several prompts with as few requests as possible. Current servers batch
   * string prompts: one `/completion` with `prompt: [s1, s2, ...]` and the target's token-id grammar
   * (the server spreads them over its slots). A prompt goes alone (token ids, `idSlot`) when its
   * joint tokenization with the target differs from the others' target ids or merges across the
   * boundary, or when it holds token ids (a mixed prompt array cannot be batched). Old servers: one
   * prompt after another, token by token. Results are in the order of `prompts`.
   */
  async evaluateMany(
    prompts: Prompt[],
    expected: string,
    options: EvaluateManyOptions = {},
  ): Promise<ManyEvaluation[]> {
    const info = await this.serverInfo(options);
    const splits = await Promise.all(prompts.map((p) => this.split(p, expected, info, options.signal)));
    const results: ManyEvaluation[] = new Array<ManyEvaluation>(prompts.length);
    let request = 0;
    const alone: number[] = [];
    const batches = new Map<string, number[]>();
    splits.forEach((split, i) => {
      const text = wirePrompt(prompts[i] ?? '');
      if (info.legacy || split.merged || typeof text !== 'string') {
        alone.push(i);
        return;
      }
      const key = split.targetIds.join(',');
      batches.set(key, [...(batches.get(key) ?? []), i]);
    });
    for (const members of batches.values()) {
      const first = splits[members[0] ?? 0];
      if (!first || members.length === 1) {
        alone.push(...members);
        continue;
      }
      const strings = members.map((i) => wirePrompt(prompts[i] ?? '') as string);
      const body = scoringBody(strings, first.targetIds, undefined);
      const replies = await this.completion(body, strings, options.signal);
      members.forEach((promptIndex, k) => {
        const reply = replies[k];
        if (!reply)
          throw new InvalidResponseError(
            'The llama.cpp server answered fewer prompts than it was sent.',
            JSON.stringify(replies).slice(0, 4000),
          );
        results[promptIndex] = {
          ...resultFromScoring(reply, first.targetIds, expected, {}),
          request,
          ...optional('slot', slotOf(reply)),
        };
      });
      request++;
    }
    for (const i of alone.sort((a, b) => a - b)) {
      const split = splits[i];
      if (!split) continue;
      results[i] = {
        ...(await this.scoreSplit(split, expected, info, options.idSlot, options.signal)),
        request,
      };
      request++;
    }
    return results;
  }

  /** `/embedding`, one text per request (old servers take no list); needs `--embeddings` on the server. */
  async embedTexts(request: TextEmbedRequest): Promise<TextEmbedResult> {
    const embeddings: number[][] = [];
    for (const text of request.texts) {
      let reply;
      try {
        reply = await this.http.json({
          method: 'POST',
          path: '/embedding',
          body: { content: text },
          schema: embeddingReplySchema,
          ...signalOf(request),
        });
      } catch (error) {
        if (error instanceof UnsupportedError || error instanceof NotFoundError)
          throw noEmbeddings(error.message);
        throw error;
      }
      embeddings.push(vectorOf(reply));
    }
    return { embeddings, calls: request.texts.length };
  }

  async tokenize(request: TokenizeRequest): Promise<Token[]> {
    const info = await this.serverInfo(request);
    const reply = await this.http.json({
      method: 'POST',
      path: '/tokenize',
      body: { content: request.text, add_special: false, parse_special: false, with_pieces: true },
      schema: tokenizeSchema,
      ...signalOf(request),
    });
    const tokens = reply.tokens.map((t) =>
      typeof t === 'number'
        ? { id: t, text: undefined }
        : {
            id: t.id,
            text: typeof t.piece === 'string' ? t.piece : new TextDecoder().decode(Uint8Array.from(t.piece)),
          },
    );
    // Old servers ignore `with_pieces`: ask each piece's text (a lone byte fails to decode there: U+FFFD).
    return Promise.all(
      tokens.map(async (t) => ({
        id: t.id,
        text: t.text ?? (info.legacy ? await this.piece(t.id, request.signal).catch(() => '\uFFFD') : ''),
      })),
    );
  }

  async detokenize(request: DetokenizeRequest): Promise<string> {
    const reply = await this.http.json({
      method: 'POST',
      path: '/detokenize',
      body: { tokens: request.ids },
      schema: detokenizeSchema,
      ...signalOf(request),
    });
    return reply.content;
  }

  async models(options: CallOptions = {}): Promise<ModelInfo[]> {
    const reply = await this.http.json({
      method: 'GET',
      path: '/v1/models',
      schema: modelsSchema,
      ...signalOf(options),
    });
    return reply.data.map((m) => ({
      id: m.id,
      ...optional('maxContextSize', m.meta?.n_ctx ?? m.meta?.n_ctx_train),
    }));
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  // -------------------------------------------------------------------------------------------

  private async probe(signal: AbortSignal | undefined): Promise<ServerInfo> {
    let props: PropsReply | undefined;
    try {
      props = await this.props(signal ? { signal } : {});
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
    };
  }

  private async safeBody(
    body: Record<string, unknown>,
    maxTokens: number,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> {
    const info = await this.serverInfo(signal ? { signal } : {});
    return info.legacy ? legacySafeBody(body, maxTokens) : body;
  }

  /** `/completion`, non-streaming: one result per prompt sent, in order. */
  private async completion(
    body: Record<string, unknown>,
    sent: unknown[],
    signal: AbortSignal | undefined,
  ): Promise<CompletionBody[]> {
    const reply = await this.http.json({
      method: 'POST',
      path: '/completion',
      body: { ...body, stream: false },
      schema: completionReplySchema,
      ...(signal ? { signal } : {}),
    });
    return orderResults(reply, sent);
  }

  private async *deltas(
    path: string,
    body: Record<string, unknown>,
    topN: number,
    signal: AbortSignal | undefined,
  ): AsyncIterable<CompletionDelta> {
    let sawProbs = false;
    for await (const event of this.http.stream({
      method: 'POST',
      path,
      body,
      ...(signal ? { signal } : {}),
    })) {
      const chunk = parseEvent(event);
      if (!chunk.stop) {
        const tokens = (chunk.completion_probabilities ?? []).map((e) => tokenFromEntry(e, topN));
        sawProbs ||= tokens.length > 0;
        yield { index: chunk.index ?? 0, text: chunk.content, tokens };
        continue;
      }
      // The old final chunk repeats every probability entry: keep them only if no partial chunk had any.
      const repeated = isLegacyBody(chunk) && sawProbs;
      const tokens = repeated
        ? []
        : (chunk.completion_probabilities ?? []).map((e) => tokenFromEntry(e, topN));
      yield {
        index: chunk.index ?? 0,
        text: chunk.content,
        tokens,
        finishReason: finishReasonOf(chunk),
        usage: usageOf(chunk),
      };
      return;
    }
    throw new ServerError('The llama.cpp stream ended without its final message. Try again.');
  }

  private async split(
    prompt: Prompt,
    expected: string,
    info: ServerInfo,
    signal: AbortSignal | undefined,
  ): Promise<TargetSplit> {
    if (typeof wirePrompt(prompt) !== 'string') {
      throw new UnsupportedError(
        'Evaluate on llama.cpp takes a text prompt (token-id items cannot be joined with the target for tokenization).',
      );
    }
    const text = promptText(prompt);
    const [joint, alone] = await Promise.all([
      this.tokenizeWithBos(text + expected, info, signal),
      this.tokenizeWithBos(text, info, signal),
    ]);
    return splitTarget(joint, alone);
  }

  /** Tokenization as `/completion` does it for a string prompt: BOS, special tokens parsed. */
  private async tokenizeWithBos(
    text: string,
    info: ServerInfo,
    signal: AbortSignal | undefined,
  ): Promise<number[]> {
    const reply = await this.http.json({
      method: 'POST',
      path: '/tokenize',
      body: { content: text, add_special: true, parse_special: true },
      schema: tokenizeSchema,
      ...(signal ? { signal } : {}),
    });
    const ids = reply.tokens.map((t) => (typeof t === 'number' ? t : t.id));
    // Old servers never add BOS: add it ourselves (they read `<s>` as BOS).
    if (!info.legacy) return ids;
    this.legacyBos ??= this.http
      .json({
        method: 'POST',
        path: '/tokenize',
        body: { content: '<s>' },
        schema: tokenizeSchema,
        ...(signal ? { signal } : {}),
      })
      .then((bos) => (bos.tokens.length === 1 && typeof bos.tokens[0] === 'number' ? bos.tokens[0] : 1));
    return [await this.legacyBos, ...ids];
  }

  private async scoreSplit(
    split: TargetSplit,
    expected: string,
    info: ServerInfo,
    idSlot: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<EvaluateResult> {
    const extra = { boundaryMerged: split.merged };
    if (split.targetIds.length === 0) return resultFromScoring({ content: '' }, [], expected, extra);
    if (info.legacy) {
      if (info.nVocab === undefined)
        throw new UnsupportedError(
          'This old llama.cpp server does not report its vocabulary size (/v1/models), which scoring needs. Update the server.',
        );
      const nVocab = info.nVocab;
      return legacyEvaluate(
        {
          completion: async (body) =>
            (await this.completion(legacySafeBody(body, 1), [body['prompt']], signal))[0] ?? { content: '' },
          piece: (id) => this.piece(id, signal),
        },
        split,
        nVocab,
        expected,
        idSlot,
      );
    }
    const [reply] = await this.completion(
      scoringBody(split.promptIds, split.targetIds, idSlot),
      [split.promptIds],
      signal,
    );
    if (!reply) throw new InvalidResponseError('The llama.cpp server sent no completion.', '');
    return resultFromScoring(reply, split.targetIds, expected, extra);
  }

  private piece(id: number, signal: AbortSignal | undefined): Promise<string> {
    return this.detokenize({ ids: [id], ...(signal ? { signal } : {}) });
  }
}

function completionOf(result: CompletionBody, topN: number): Completion {
  return {
    text: result.content,
    finishReason: finishReasonOf(result),
    tokens: (result.completion_probabilities ?? []).map((e) => tokenFromEntry(e, topN)),
  };
}

/** `promise`, or a CancelledError as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
