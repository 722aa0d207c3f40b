/** /complete: the request body (spec 3.1) and the mapping of replies and stream events (3.2-4). */
import type {
  Completion,
  CompletionRequest,
  FinishReason,
  TokenLogProb,
  TopToken,
  Usage,
} from '../../backend';
import { toWirePrompt } from './prompt';
import type { WireCompletion } from './schemas';

/** Body of POST /complete; `params` (native API names) override the mapped fields. */
export function completeBody(
  request: CompletionRequest,
  model: string,
  stream: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model,
    prompt: toWirePrompt(request.prompt),
    maximum_tokens: request.maxTokens,
  };
  if (request.temperature !== undefined) body['temperature'] = request.temperature;
  if (request.topK !== undefined) body['top_k'] = request.topK;
  if (request.topP !== undefined) body['top_p'] = request.topP;
  if (request.stop?.length) body['stop_sequences'] = request.stop;
  if (request.logProbs !== undefined) {
    body['log_probs'] = request.logProbs;
    // The sampled token's entry is found through completion_tokens (spec 3.3).
    body['tokens'] = true;
  }
  Object.assign(body, request.params ?? {});
  if (stream) body['stream'] = true;
  else delete body['stream'];
  return body;
}

export function finishReason(wire: string | undefined): FinishReason {
  switch (wire) {
    case 'maximum_tokens':
      return 'length';
    case 'end_of_text':
      return 'end-of-text';
    case 'stop_sequence_reached':
      return 'stop';
    default:
      return 'unknown';
  }
}

/**
 * Per-token log-probs from the parallel `completion_tokens` and `log_probs` lists. Without
 * `completion_tokens` the sampled token is known only when a map has a single entry.
 */
export function tokenLogProbs(
  tokens: string[] | undefined,
  maps: Record<string, number | null>[] | undefined,
): TokenLogProb[] {
  if (!maps) return (tokens ?? []).map((text) => ({ text, logprob: null, top: [] }));
  return maps.map((map, i) => {
    const entries = Object.entries(map);
    const text = tokens?.[i] ?? (entries.length === 1 ? (entries[0]?.[0] ?? '') : '');
    const top: TopToken[] = entries
      .filter((entry): entry is [string, number] => entry[1] !== null)
      .map(([topText, logprob]) => ({ text: topText, logprob }))
      .sort((a, b) => b.logprob - a.logprob);
    return { text, logprob: map[text] ?? null, top };
  });
}

export function toCompletion(wire: WireCompletion): Completion {
  return {
    text: wire.completion,
    finishReason: finishReason(wire.finish_reason),
    tokens:
      wire.log_probs || wire.completion_tokens ? tokenLogProbs(wire.completion_tokens, wire.log_probs) : [],
  };
}

export function usageOf(
  promptTokens: number | undefined,
  generatedTokens: number | undefined,
): Usage | undefined {
  if (promptTokens === undefined && generatedTokens === undefined) return undefined;
  return {
    ...(promptTokens === undefined ? {} : { promptTokens }),
    ...(generatedTokens === undefined ? {} : { completionTokens: generatedTokens }),
  };
}
