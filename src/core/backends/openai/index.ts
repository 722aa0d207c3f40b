import {
  type Backend,
  type BackendOptions,
  type CallOptions,
  type Capabilities,
  type CompletionDelta,
  type CompletionRequest,
  type CompletionResult,
  type DetokenizeRequest,
  type EvaluateRequest,
  type EvaluateResult,
  type ModelInfo,
  type Token,
  type TokenizeRequest,
  type Usage,
} from '../../backend';
import { ConnectionError, NotFoundError, PromptLensError, ServerError, UnsupportedError } from '../../errors';
import { z } from 'zod';
import type { HttpClient } from '../../http/httpClient';
import { httpClientFor } from '../httpClientFor';
import { definedEntries, signalOf } from '../../optionalFields';
import { invalidResponse, serverMessageFromBody, validateReply } from '../../http/statusErrors';
import { mapOpenAiError } from './errors';
import { finishReasonFrom, tokensFromLogprobs } from './logprobs';
import { completionBody, wirePrompt } from './request';
import {
  completionChunkSchema,
  completionSchema,
  detokenizeSchema,
  modelsSchema,
  streamErrorSchema,
  tokenizeSchema,
  type CompletionReply,
} from './schemas';
import { scoreFromEcho } from './scoring';
import { embeddingsReplySchema, orderedVectors } from './embeddings';
import type { TextEmbedRequest, TextEmbedResult } from '../../embeddings';

/** What an OpenAI-compatible server can do; `score` and `tokenize` need vLLM-style extensions. */
export const OPENAI_CAPABILITIES: Capabilities = {
  stream: true,
  score: true,
  explainNatively: false,
  infill: false,
  images: false,
  embed: true,
  tokenize: true,
  logProbs: true,
  notes: [],
};

const LLAMA_CPP_NOTE =
  'This is a llama.cpp server: its /v1/completions ignores or refuses echo, so it cannot score a prompt, and it has no vLLM /tokenize. Use the llama.cpp backend for evaluate, explain and tokenize.';

/** Any JSON object: a llama.cpp server answers `GET /props` with its settings. */
const propsProbeSchema = z.object({}).loose();

/** Accepts the base URL with or without `/v1`; requests add `/v1/...` themselves. */
export function serverRoot(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/v1$/, '');
}

export class OpenAiBackend implements Backend {
  readonly kind = 'openai' as const;
  private readonly http: HttpClient;
  private capabilitiesProbe: Promise<Capabilities> | undefined;

  constructor(private readonly options: BackendOptions) {
    this.http = httpClientFor(options, { mapError: mapOpenAiError, baseUrl: serverRoot(options.url) });
  }

  /** Asks `/v1/models` once: a llama.cpp server there cannot score or tokenize the vLLM way. */
  capabilities(options: CallOptions = {}): Promise<Capabilities> {
    this.capabilitiesProbe ??= this.http
      .json({ method: 'GET', path: '/v1/models', schema: modelsSchema, ...signalOf(options) })
      .then((reply) =>
        reply.data.some((model) => model.owned_by === 'llamacpp' || model.meta)
          ? { ...OPENAI_CAPABILITIES, score: false, tokenize: false, notes: [LLAMA_CPP_NOTE] }
          : OPENAI_CAPABILITIES,
      )
      .catch((error: unknown) => {
        this.capabilitiesProbe = undefined;
        throw error;
      });
    return this.capabilitiesProbe;
  }

  /** `/v1/embeddings` with every text in one request. */
  async embedTexts(request: TextEmbedRequest): Promise<TextEmbedResult> {
    const model = request.model ?? this.options.model;
    const reply = await this.http.json({
      method: 'POST',
      path: '/v1/embeddings',
      body: { input: request.texts, ...(model === undefined ? {} : { model }) },
      schema: embeddingsReplySchema,
      ...signalOf(request),
    });
    const embeddings = orderedVectors(reply, request.texts.length);
    if (!embeddings)
      throw invalidResponse(
        `The server sent ${reply.data.length} embeddings for ${request.texts.length} texts.`,
        JSON.stringify(reply).slice(0, 4000),
      );
    const promptTokens = reply.usage?.prompt_tokens;
    return { embeddings, calls: 1, ...(promptTokens === undefined ? {} : { promptTokens }) };
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const reply = await this.http.json({
      method: 'POST',
      path: '/v1/completions',
      body: completionBody(request, this.options.model, false),
      schema: completionSchema,
      ...signalOf(request),
    });
    const topK = request.logProbs ?? 0;
    const choices = [...reply.choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return {
      completions: choices.map((choice) => ({
        text: choice.text,
        finishReason: finishReasonFrom(choice.finish_reason),
        tokens: request.logProbs === undefined ? [] : tokensFromLogprobs(choice.logprobs, topK),
      })),
      ...(reply.model === undefined ? {} : { model: reply.model }),
      ...usageEntry(reply),
    };
  }

  async *stream(request: CompletionRequest): AsyncIterable<CompletionDelta> {
    const topK = request.logProbs ?? 0;
    let done = false;
    let finished = false;
    const events = this.http.stream({
      method: 'POST',
      path: '/v1/completions',
      body: completionBody(request, this.options.model, true),
      ...signalOf(request),
    });
    for await (const event of events) {
      // Keep reading after [DONE] so the connection ends cleanly and goes back to the pool.
      if (done) continue;
      if (event.field === 'error') throw midStreamError(event.data);
      if (event.data === '[DONE]') {
        done = true;
        continue;
      }
      const json = parseJson(event.data);
      // Cheap key check first: a failed zod parse on every chunk would build issue objects for nothing.
      if (
        typeof json === 'object' &&
        json !== null &&
        'error' in json &&
        streamErrorSchema.safeParse(json).success
      )
        throw midStreamError(event.data);
      const chunk = validateReply(json, completionChunkSchema, event.data);
      const usage = usageEntry(chunk);
      for (const choice of chunk.choices) {
        const finishReason = choice.finish_reason ? finishReasonFrom(choice.finish_reason) : undefined;
        if (finishReason) finished = true;
        yield {
          index: choice.index ?? 0,
          text: choice.text,
          tokens: request.logProbs === undefined ? [] : tokensFromLogprobs(choice.logprobs, topK),
          ...(finishReason ? { finishReason } : {}),
          ...usage,
        };
      }
      if (chunk.choices.length === 0 && usage.usage) yield { index: 0, text: '', tokens: [], ...usage };
    }
    if (!done && !finished)
      throw new ConnectionError('The server ended the stream before the completion was finished. Try again.');
  }

  async evaluate(request: EvaluateRequest): Promise<EvaluateResult> {
    const prompt = wirePrompt(request.prompt);
    if (typeof prompt !== 'string')
      throw new UnsupportedError(
        'Evaluate on an OpenAI-compatible server needs a text prompt, not token ids.',
      );
    const fullText = prompt + request.expected;
    const model = request.model ?? this.options.model;
    const reply = await this.http
      .json({
        method: 'POST',
        path: '/v1/completions',
        body: {
          prompt: fullText,
          echo: true,
          max_tokens: 1,
          logprobs: 1,
          temperature: 0,
          ...(model === undefined ? {} : { model }),
        },
        schema: completionSchema,
        ...signalOf(request),
      })
      .catch((error: unknown) => this.explainNoEcho(error, request.signal));
    return scoreFromEcho(reply, fullText, request.expected);
  }

  /** `echo` refused: say what this server cannot do, and offer the llama.cpp kind where it is one. */
  private async explainNoEcho(error: unknown, signal: AbortSignal | undefined): Promise<never> {
    if (!(error instanceof UnsupportedError)) throw error;
    const llamaCpp = await this.isLlamaCpp(signal);
    throw new UnsupportedError(
      `This server cannot evaluate or explain through the OpenAI API: its /v1/completions refuses \`echo\`, which scoring a given text needs.${
        llamaCpp
          ? ' It is a llama.cpp server: switch this profile to the llama.cpp kind ("kind": "llama-cpp"), which scores exactly.'
          : ' Use a server that echoes prompt log-probabilities (e.g. vLLM), or another profile.'
      }`,
      llamaCpp ? 'llama-cpp' : undefined,
      error.status,
    );
  }

  /** Recognisably llama.cpp: `owned_by: "llamacpp"` in /v1/models, or a /props endpoint. */
  private async isLlamaCpp(signal: AbortSignal | undefined): Promise<boolean> {
    const options = signal ? { signal } : {};
    const models = await this.http
      .json({ method: 'GET', path: '/v1/models', schema: modelsSchema, ...options })
      .catch(() => undefined);
    if (models?.data.some((model) => model.owned_by === 'llamacpp')) return true;
    return this.http
      .json({ method: 'GET', path: '/props', schema: propsProbeSchema, ...options })
      .then(() => true)
      .catch(() => false);
  }

  async tokenize(request: TokenizeRequest): Promise<Token[]> {
    const model = request.model ?? this.options.model;
    const reply = await this.orUnsupported(
      this.http.json({
        method: 'POST',
        path: '/tokenize',
        body: {
          prompt: request.text,
          add_special_tokens: false,
          return_token_strs: true,
          ...(model === undefined ? {} : { model }),
        },
        schema: tokenizeSchema,
        ...signalOf(request),
      }),
    );
    if (reply.tokens.length === 0 && request.text !== '') throw new UnsupportedError(NO_TOKENIZER);
    const strings =
      reply.token_strs ??
      (await Promise.all(
        reply.tokens.map((id) =>
          this.detokenize({ ids: [id], ...definedEntries({ model, signal: request.signal }) }),
        ),
      ));
    return reply.tokens.map((id, i) => ({ id, text: strings[i] ?? '' }));
  }

  async detokenize(request: DetokenizeRequest): Promise<string> {
    const model = request.model ?? this.options.model;
    const reply = await this.orUnsupported(
      this.http.json({
        method: 'POST',
        path: '/detokenize',
        body: { tokens: request.ids, ...(model === undefined ? {} : { model }) },
        schema: detokenizeSchema,
        ...signalOf(request),
      }),
    );
    return reply.prompt;
  }

  async models(options: CallOptions = {}): Promise<ModelInfo[]> {
    const reply = await this.http.json({
      method: 'GET',
      path: '/v1/models',
      schema: modelsSchema,
      ...signalOf(options),
    });
    return reply.data.map((model) => {
      const maxContextSize = model.max_model_len ?? model.meta?.n_ctx;
      return { id: model.id, ...(maxContextSize === undefined ? {} : { maxContextSize }) };
    });
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** /tokenize and /detokenize are vLLM extensions: a server without them gets a clear message. */
  private async orUnsupported<T>(call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      if (
        error instanceof NotFoundError ||
        (error instanceof PromptLensError && (error.status === 405 || error.kind === 'invalid-response'))
      ) {
        throw new UnsupportedError(NO_TOKENIZER);
      }
      throw error;
    }
  }
}

const NO_TOKENIZER =
  'This server has no tokenizer endpoint (vLLM has /tokenize; OpenAI and llama.cpp /v1 do not). Use the llama.cpp backend for a llama.cpp server.';

function midStreamError(data: string): ServerError {
  return new ServerError(`The server failed while generating: ${serverMessageFromBody(data)}`, 500);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidResponse('an event that is not JSON', text);
  }
}

function usageEntry(reply: Pick<CompletionReply, 'usage' | 'timings'>): { usage?: Usage } {
  const usage: Usage = {};
  if (reply.usage?.prompt_tokens !== undefined) usage.promptTokens = reply.usage.prompt_tokens;
  if (reply.usage?.completion_tokens !== undefined) usage.completionTokens = reply.usage.completion_tokens;
  if (reply.timings?.prompt_n !== undefined) usage.promptTokensProcessed = reply.timings.prompt_n;
  if (reply.timings?.cache_n !== undefined) usage.promptTokensCached = reply.timings.cache_n;
  return Object.keys(usage).length === 0 ? {} : { usage };
}
