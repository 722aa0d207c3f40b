/**
 * Aleph Alpha backend (PhariaInference / Luminous HTTP API). Wire format: the Aleph Alpha API documentation (https://docs.aleph-alpha.com/api/).
 * Natively scores (evaluate), explains (AtMan), streams, tokenizes and embeds.
 */
import type {
  Backend,
  BackendOptions,
  CallOptions,
  Capabilities,
  CompletionDelta,
  CompletionRequest,
  CompletionResult,
  DetokenizeRequest,
  EvaluateRequest,
  EvaluateResult,
  ExplainRequest,
  ExplainResult,
  Token,
  TokenizeRequest,
} from '../../backend';
import { InvalidResponseError, isCancellation, PromptLensError } from '../../errors';
import { httpClientFor } from '../httpClientFor';
import type { HttpClient, HttpClientHooks } from '../../http/httpClient';
import type { Query } from '../../http/types';
import { definedEntries, signalOf } from '../../optionalFields';
import { decodeByteLevel } from './byteLevel';
import { completeBody, toCompletion, usageOf } from './completion';
import { mapConcurrent } from './concurrency';
import {
  batchSemanticEmbedBody,
  chunk,
  DEFAULT_BATCH_CONCURRENCY,
  embedBody,
  MAX_BATCH_SIZE,
  semanticEmbedBody,
  type BatchSemanticEmbedRequest,
  type BatchSemanticEmbedResult,
  type EmbedRequest,
  type EmbedResult,
  type SemanticEmbedRequest,
  type SemanticEmbedResult,
} from './embeddings';
import { mapAlephAlphaError } from './errors';
import { echoBody, evaluateBody, expectedTokens, toEvaluateResult } from './evaluate';
import { explainBody, toExplainResult } from './explain';
import { toModels, type AlephAlphaModel } from './models';
import {
  batchSemanticEmbedResponse,
  completeResponse,
  detokenizeResponse,
  embedResponse,
  evaluateResponse,
  explainResponse,
  modelsAvailableResponse,
  semanticEmbedResponse,
  tokenizeResponse,
  type ResponsePromptItem,
} from './schemas';
import { completionDeltas } from './stream';

export type { AlephAlphaModel } from './models';
export type * from './embeddings';

export interface AlephAlphaOptions extends BackendOptions {
  /** `?nice=true` on every POST: let concurrent requests go first. */
  nice?: boolean;
  /** `"aleph-alpha"`: only Aleph Alpha's own datacenters. Absent: any. */
  hosting?: string;
}

export interface AlephAlphaCompletionResult extends CompletionResult {
  /** `model_version` of the reply. */
  modelVersion?: string;
  /** The prompt as the server rewrote it, when it did; unknown item types are kept opaque. */
  optimizedPrompt?: ResponsePromptItem[];
}

/** `nice` and `hosting` come from the profile (`options.extras`) unless given directly. */
function withProfileExtras(options: AlephAlphaOptions): AlephAlphaOptions {
  const extras = options.extras ?? {};
  const nice = options.nice ?? (typeof extras['nice'] === 'boolean' ? extras['nice'] : undefined);
  const hosting = options.hosting ?? (typeof extras['hosting'] === 'string' ? extras['hosting'] : undefined);
  return { ...options, ...definedEntries({ nice, hosting }) };
}

export const USER_AGENT = `Prompt-Lens-${PROMPT_LENS_VERSION}`;

const CAPABILITIES: Capabilities = {
  stream: true,
  score: true,
  explainNatively: true,
  infill: false,
  images: true,
  embed: true,
  tokenize: true,
  logProbs: true,
  notes: [],
};

export class AlephAlphaBackend implements Backend {
  readonly kind = 'aleph-alpha' as const;
  private readonly http: HttpClient;

  /** `hooks` are test seams of the HTTP client (sleep, random, environment). */
  private readonly options: AlephAlphaOptions;

  constructor(options: AlephAlphaOptions, hooks?: HttpClientHooks) {
    // The API has no versioned paths of its own: a base ending in /v1 is kept as given (spec 1.1).
    this.http = httpClientFor(options, {
      mapError: mapAlephAlphaError,
      userAgent: USER_AGENT,
      ...(hooks ? { hooks } : {}),
    });
    this.options = withProfileExtras(options);
  }

  async capabilities(): Promise<Capabilities> {
    return { ...CAPABILITIES, notes: [...CAPABILITIES.notes] };
  }

  async complete(request: CompletionRequest): Promise<AlephAlphaCompletionResult> {
    const model = this.model(request.model);
    const reply = await this.http.json({
      ...this.post('/complete', completeBody(request, model, false), request),
      schema: completeResponse,
    });
    const usage = usageOf(reply.num_tokens_prompt_total, reply.num_tokens_generated);
    return {
      completions: reply.completions.map(toCompletion),
      model,
      ...(usage ? { usage } : {}),
      ...(reply.model_version === undefined ? {} : { modelVersion: reply.model_version }),
      ...(reply.optimized_prompt === undefined ? {} : { optimizedPrompt: reply.optimized_prompt }),
    };
  }

  async *stream(request: CompletionRequest): AsyncIterable<CompletionDelta> {
    const model = this.model(request.model);
    yield* completionDeltas(
      this.http.stream(this.post('/complete', completeBody(request, model, true), request)),
    );
  }

  async evaluate(request: EvaluateRequest): Promise<EvaluateResult> {
    const model = this.model(request.model);
    const scored = this.http.json({
      ...this.post('/evaluate', evaluateBody(request, model), request),
      schema: evaluateResponse,
    });
    const echoed = this.http
      .json({ ...this.post('/complete', echoBody(request, model), request), schema: completeResponse })
      .catch((error: unknown) => {
        // Per-token numbers are a bonus: without them the evaluation still stands, unless cancelled.
        if (isCancellation(error)) throw error;
        return undefined;
      });
    const [reply, echo] = await Promise.all([scored, echoed]);
    const tokenCount = reply.result.token_count ?? 0;
    const perToken = echo ? expectedTokens(echo, request.expected, tokenCount) : undefined;
    return toEvaluateResult(reply, request.expected, perToken, () => JSON.stringify(reply));
  }

  async explain(request: ExplainRequest): Promise<ExplainResult> {
    const model = this.model(request.model);
    request.onProgress?.(0, 1);
    const reply = await this.http.json({
      ...this.post('/explain', explainBody(request, model), request),
      schema: explainResponse,
    });
    request.onProgress?.(1, 1);
    return toExplainResult(reply, request);
  }

  async tokenize(request: TokenizeRequest): Promise<Token[]> {
    const body = { model: this.model(request.model), prompt: request.text, tokens: true, token_ids: true };
    const reply = await this.http.json({
      ...this.post('/tokenize', body, request),
      schema: tokenizeResponse,
    });
    const ids = reply.token_ids ?? [];
    const symbols = reply.tokens ?? [];
    if (ids.length !== symbols.length) {
      throw new InvalidResponseError(
        'The server sent token ids and tokens of different lengths.',
        JSON.stringify(reply),
      );
    }
    const texts = decodeByteLevel(symbols);
    return ids.map((id, i) => ({ id, text: texts[i] ?? '' }));
  }

  async detokenize(request: DetokenizeRequest): Promise<string> {
    const body = { model: this.model(request.model), token_ids: request.ids };
    return (await this.http.json({ ...this.post('/detokenize', body, request), schema: detokenizeResponse }))
      .result;
  }

  async models(options: CallOptions = {}): Promise<AlephAlphaModel[]> {
    return this.modelsAvailable(options);
  }

  /** GET /models_available with every field the API gives. */
  async modelsAvailable(options: CallOptions = {}): Promise<AlephAlphaModel[]> {
    const reply = await this.http.json({
      method: 'GET',
      path: '/models_available',
      schema: modelsAvailableResponse,
      ...signalOf(options),
    });
    return toModels(reply);
  }

  /** GET /version: the API's semantic version as plain text. */
  async version(options: CallOptions = {}): Promise<string> {
    return (await this.http.text({ method: 'GET', path: '/version', ...signalOf(options) })).trim();
  }

  async embed(request: EmbedRequest): Promise<EmbedResult> {
    const reply = await this.http.json({
      ...this.post('/embed', embedBody(request, this.model(request.model)), request),
      schema: embedResponse,
    });
    return {
      embeddings: reply.embeddings,
      ...(reply.tokens ? { tokens: reply.tokens } : {}),
      ...(reply.num_tokens_prompt_total === undefined ? {} : { promptTokens: reply.num_tokens_prompt_total }),
      ...(reply.model_version === undefined ? {} : { modelVersion: reply.model_version }),
    };
  }

  async semanticEmbed(request: SemanticEmbedRequest): Promise<SemanticEmbedResult> {
    const body = semanticEmbedBody(request, this.model(request.model));
    const reply = await this.http.json({
      ...this.post('/semantic_embed', body, request),
      schema: semanticEmbedResponse,
    });
    return {
      embedding: reply.embedding,
      ...(reply.num_tokens_prompt_total === undefined ? {} : { promptTokens: reply.num_tokens_prompt_total }),
      ...(reply.model_version === undefined ? {} : { modelVersion: reply.model_version }),
    };
  }

  /** Splits into requests of at most 100 prompts, runs a few at once, and joins the results in order. */
  async batchSemanticEmbed(request: BatchSemanticEmbedRequest): Promise<BatchSemanticEmbedResult> {
    const model = this.model(request.model);
    const size = Math.min(MAX_BATCH_SIZE, Math.max(1, Math.trunc(request.batchSize ?? MAX_BATCH_SIZE)));
    const replies = await mapConcurrent(
      chunk(request.prompts, size),
      request.concurrency ?? DEFAULT_BATCH_CONCURRENCY,
      async (prompts) => {
        const reply = await this.http.json({
          ...this.post('/batch_semantic_embed', batchSemanticEmbedBody(request, prompts, model), request),
          schema: batchSemanticEmbedResponse,
        });
        if (reply.embeddings.length !== prompts.length) {
          throw new InvalidResponseError(
            `The server sent ${reply.embeddings.length} embeddings for ${prompts.length} prompts.`,
            JSON.stringify(reply),
          );
        }
        return reply;
      },
    );
    const modelVersion = replies.find((r) => r.model_version !== undefined)?.model_version;
    return {
      embeddings: replies.flatMap((r) => r.embeddings),
      promptTokens: replies.reduce((sum, r) => sum + (r.num_tokens_prompt_total ?? 0), 0),
      ...(modelVersion === undefined ? {} : { modelVersion }),
    };
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private model(requested: string | undefined): string {
    const model = requested ?? this.options.model;
    if (!model)
      throw new PromptLensError(
        'bad-request',
        'No model set. Choose a model for this profile (Aleph Alpha needs one on every request).',
      );
    return model;
  }

  /** A POST with the fields merged into every body (spec 1.4) and the `nice` flag (1.3). */
  private post(path: string, body: Record<string, unknown>, call: CallOptions) {
    const query: Query = this.options.nice ? { nice: true } : {};
    const merged = this.options.hosting === undefined ? body : { ...body, hosting: this.options.hosting };
    return { method: 'POST' as const, path, query, body: merged, ...signalOf(call) };
  }
}
