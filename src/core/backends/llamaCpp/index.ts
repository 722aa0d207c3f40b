/**
 * llama.cpp's own API (`/completion`, `/tokenize`, ...), for every server generation since March
 * 2024. The parts: client.ts (requests, server age and identity), generation.ts (complete, stream,
 * infill), scorer.ts with scoringPlan.ts (which exact scoring method the server supports),
 * batch.ts (several prompts at once), slotMemory.ts (going back to the slot that holds a prompt).
 */
import type {
  Backend,
  BackendOptions,
  BatchEvaluation,
  BatchOptions,
  CallOptions,
  Capabilities,
  CompletionDelta,
  CompletionRequest,
  CompletionResult,
  DetokenizeRequest,
  EvaluateRequest,
  EvaluateResult,
  ModelInfo,
  Prompt,
  Token,
  TokenizeRequest,
} from '../../backend';
import type { TextEmbedRequest, TextEmbedResult } from '../../embeddings';
import { NotFoundError, UnsupportedError } from '../../errors';
import type { HttpClientHooks } from '../../http/httpClient';
import { optional, signalOf } from '../../optionalFields';
import { httpClientFor } from '../httpClientFor';
import { evaluateBatch } from './batch';
import { LlamaCppClient } from './client';
import { embeddingReplySchema, noEmbeddings, vectorOf } from './embeddings';
import { mapLlamaCppError } from './errors';
import { LlamaCppGeneration, type InfillRequest } from './generation';
import { healthSchema, modelsSchema, tokenizeSchema, type PropsReply } from './schemas';
import { LlamaCppScorer } from './scorer';
import type { ScoringMethod } from './scoringReply';
import { serverNotes, type ServerInfo } from './serverInfo';
import { SlotMemory } from './slotMemory';

export type { InfillRequest } from './generation';
export type { ScoringMethod } from './scoringReply';
export type { ServerInfo } from './serverInfo';

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

const METHOD_NOTES: Record<ScoringMethod, string> = {
  'token-id-grammar': 'Scoring: one request per target (token-id grammar).',
  'string-grammar-bias':
    'Scoring: this server ignores token-id grammars; one request per target with a text grammar and a logit bias, positions it cannot force are scored one by one.',
  'token-bias':
    'Scoring: one request per target token (logit bias), as this server follows no scoring grammar.',
  'full-vocabulary': 'Scoring: one request per target token with the whole vocabulary (old server).',
};

export class LlamaCppBackend implements Backend {
  readonly kind = 'llama-cpp' as const;
  private readonly client: LlamaCppClient;
  private readonly scorer: LlamaCppScorer;
  private readonly generation: LlamaCppGeneration;
  private readonly slots = new SlotMemory();

  constructor(options: BackendOptions, hooks: HttpClientHooks = {}) {
    this.client = new LlamaCppClient(httpClientFor(options, { mapError: mapLlamaCppError, hooks }));
    this.scorer = new LlamaCppScorer(this.client, options.url.replace(/\/+$/, ''));
    this.generation = new LlamaCppGeneration(this.client, this.slots);
  }

  /** Age, identity, context size and vocabulary of the server, asked once (`/props`, `/v1/models`). */
  serverInfo(options: CallOptions = {}): Promise<ServerInfo> {
    return this.client.serverInfo(options);
  }

  /** The exact scoring methods this server supports, cheapest first (a tiny probe, once per server). */
  scoringMethods(options: CallOptions = {}): Promise<ScoringMethod[]> {
    return this.scorer.methods(options.signal);
  }

  async capabilities(options: CallOptions = {}): Promise<Capabilities> {
    const info = await this.serverInfo(options);
    // Said once known: the probe itself runs with the first score, which reports what it cost.
    const [method] = (await this.scorer.knownMethods(options.signal)) ?? [];
    const notes = [...serverNotes(info), ...(method ? [METHOD_NOTES[method]] : [])];
    return { ...CURRENT_CAPABILITIES, notes };
  }

  async scoringSlots(options: CallOptions = {}): Promise<number> {
    return Math.max(1, (await this.serverInfo(options)).totalSlots ?? 1);
  }

  async health(options: CallOptions = {}): Promise<{ status: string; slotsIdle?: number }> {
    const reply = await this.client.http.json({
      method: 'GET',
      path: '/health',
      schema: healthSchema,
      ...signalOf(options),
    });
    return reply.slots_idle === undefined
      ? { status: reply.status }
      : { status: reply.status, slotsIdle: reply.slots_idle };
  }

  props(options: CallOptions = {}): Promise<PropsReply> {
    return this.client.props(options.signal);
  }

  complete(request: CompletionRequest): Promise<CompletionResult> {
    return this.generation.complete(request);
  }

  stream(request: CompletionRequest): AsyncIterable<CompletionDelta> {
    return this.generation.stream(request);
  }

  infill(request: InfillRequest): Promise<CompletionResult> {
    return this.generation.infill(request);
  }

  async evaluate(request: EvaluateRequest): Promise<EvaluateResult> {
    const split = await this.scorer.split(request.prompt, request.expected, request.signal);
    return this.scorer.score(split, request.expected, request.slot, request.signal);
  }

  evaluateBatch(prompts: Prompt[], expected: string, options: BatchOptions = {}): Promise<BatchEvaluation[]> {
    return evaluateBatch(this.client, this.scorer, prompts, expected, options);
  }

  /** `/embedding`, one text per request (old servers take no list); needs `--embeddings` on the server. */
  async embedTexts(request: TextEmbedRequest): Promise<TextEmbedResult> {
    const embeddings: number[][] = [];
    for (const text of request.texts) {
      let reply;
      try {
        reply = await this.client.http.json({
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
    const reply = await this.client.http.json({
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
        text:
          t.text ?? (info.legacy ? await this.client.piece(t.id, request.signal).catch(() => '\uFFFD') : ''),
      })),
    );
  }

  detokenize(request: DetokenizeRequest): Promise<string> {
    return this.client.detokenize(request.ids, request);
  }

  async models(options: CallOptions = {}): Promise<ModelInfo[]> {
    const reply = await this.client.http.json({
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
    await this.client.http.close();
  }
}
