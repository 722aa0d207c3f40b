/** Text generation on llama.cpp: completions, streams and infill, with slot reuse for a repeated prompt prefix. */
import type { Completion, CompletionDelta, CompletionRequest, CompletionResult } from '../../backend';
import { InvalidResponseError, ServerError } from '../../errors';
import { optional } from '../../optionalFields';
import type { LlamaCppClient } from './client';
import { parseEvent } from './events';
import { completionBody, legacySafeBody } from './request';
import {
  finishReasonOf,
  isLegacyBody,
  orderResults,
  slotOf,
  sumUsage,
  tokenFromEntry,
  usageOf,
} from './response';
import { completionReplySchema, type CompletionBody } from './schemas';
import type { SlotMemory } from './slotMemory';

export interface InfillRequest {
  signal?: AbortSignal;
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

export class LlamaCppGeneration {
  constructor(
    private readonly client: LlamaCppClient,
    private readonly slots: SlotMemory,
  ) {}

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const body = await this.prepare(completionBody(request, false), request.maxTokens, request.signal);
    const reply = await this.client.http.json({
      method: 'POST',
      path: '/completion',
      body: { ...body, stream: false },
      schema: completionReplySchema,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const results = orderResults(reply, [body['prompt']]);
    if (results.length === 1) this.slots.remember(promptKey(body), slotOf(results[0] ?? { content: '' }));
    return {
      completions: results.map((r) => completionOf(r, request.logProbs ?? 0)),
      ...optional('model', results[0]?.model),
      usage: sumUsage(results.map(usageOf)),
    };
  }

  async *stream(request: CompletionRequest): AsyncIterable<CompletionDelta> {
    const body = await this.prepare(completionBody(request, true), request.maxTokens, request.signal);
    const topN = request.logProbs ?? 0;
    let sawProbs = false;
    for await (const event of this.client.http.stream({
      method: 'POST',
      path: '/completion',
      body,
      ...(request.signal ? { signal: request.signal } : {}),
    })) {
      const chunk = parseEvent(event);
      if (!chunk.stop) {
        const tokens = (chunk.completion_probabilities ?? []).map((e) => tokenFromEntry(e, topN));
        sawProbs ||= tokens.length > 0;
        yield { index: chunk.index ?? 0, text: chunk.content, tokens };
        continue;
      }
      this.slots.remember(promptKey(body), slotOf(chunk));
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
    const safe = await this.guard(
      { ...body, ...request.params, stream: false },
      request.maxTokens,
      request.signal,
    );
    const reply = await this.client.http.json({
      method: 'POST',
      path: '/infill',
      body: safe,
      schema: completionReplySchema,
      ...(request.signal ? { signal: request.signal } : {}),
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

  /** The old server's guard, and the slot that holds this prompt's prefix (unless the request names one). */
  private async prepare(
    body: Record<string, unknown>,
    maxTokens: number,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> {
    const named = body['id_slot'] !== undefined || body['slot_id'] !== undefined;
    const slot = named ? undefined : this.slots.slotFor(promptKey(body));
    return this.guard(slot === undefined ? body : { ...body, id_slot: slot }, maxTokens, signal);
  }

  private async guard(
    body: Record<string, unknown>,
    maxTokens: number,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> {
    const info = await this.client.serverInfo(signal ? { signal } : {});
    return info.legacy ? legacySafeBody(body, maxTokens) : body;
  }
}

/** The prompt as a comparable string (token ids and mixed arrays by their JSON). */
function promptKey(body: Record<string, unknown>): string {
  const prompt = body['prompt'];
  return typeof prompt === 'string' ? prompt : JSON.stringify(prompt ?? '');
}

export function completionOf(result: CompletionBody, topN: number): Completion {
  return {
    text: result.content,
    finishReason: finishReasonOf(result),
    tokens: (result.completion_probabilities ?? []).map((e) => tokenFromEntry(e, topN)),
  };
}
