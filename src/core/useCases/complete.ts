// Complete, Evaluate and Tokenize as every surface runs them.
import type { Backend, CompletionDelta, CompletionRequest, EvaluateResult, Prompt } from '../backend';
import { canStreamWith } from '../completionChoices';
import type { PromptFileSettings } from '../promptFile/index';

/** Defaults a surface completes with (the editor's settings, the CLI's flags). */
export interface CompletionDefaults {
  maxTokens: number;
  temperature?: number;
  logProbs?: number;
}

/**
 * The request a completion sends: the surface's defaults, then the `.prompt` file's `model` and
 * `params` (backend-native names, applied last by the backend).
 */
export function completionRequest(
  prompt: Prompt,
  model: string | undefined,
  settings: PromptFileSettings | undefined,
  defaults: CompletionDefaults,
  signal?: AbortSignal,
): CompletionRequest {
  const params = settings?.params ?? {};
  return {
    prompt,
    maxTokens: defaults.maxTokens,
    ...(defaults.temperature !== undefined && { temperature: defaults.temperature }),
    ...(defaults.logProbs !== undefined && { logProbs: defaults.logProbs }),
    ...(signal && { signal }),
    ...(model !== undefined && { model }),
    ...(Object.keys(params).length > 0 && { params }),
  };
}

/**
 * The backend's stream, or its one-shot completion as deltas where it cannot stream (or the params
 * ask for `best_of` candidates, which no server streams): one delta per completion, with its index.
 */
export async function* completionDeltas(
  backend: Backend,
  canStream: boolean,
  request: CompletionRequest,
): AsyncIterable<CompletionDelta> {
  if (canStream && canStreamWith(request.params)) {
    yield* backend.stream(request);
    return;
  }
  const result = await backend.complete(request);
  const completions =
    result.completions.length > 0
      ? result.completions
      : [{ text: '', tokens: [], finishReason: 'unknown' as const }];
  const last = completions.length - 1;
  for (const [index, completion] of completions.entries()) {
    yield {
      index,
      text: completion.text,
      tokens: completion.tokens,
      finishReason: completion.finishReason,
      ...(index === last && result.usage !== undefined && { usage: result.usage }),
    };
  }
}

export interface Metric {
  name: string;
  value: number | boolean | null;
}

/** An evaluation's figures, in the order they are shown. */
export function evaluationMetrics(result: EvaluateResult): Metric[] {
  const metrics: Metric[] = [
    { name: 'log probability', value: result.logProbability },
    { name: 'probability', value: Math.exp(result.logProbability) },
    { name: 'tokens', value: result.tokenCount },
    { name: 'characters', value: result.characterCount },
    { name: 'perplexity per token', value: result.perplexityPerToken },
    { name: 'perplexity per character', value: result.perplexityPerCharacter },
  ];
  if (result.correctGreedy !== undefined)
    metrics.push({ name: 'greedy would produce it', value: result.correctGreedy });
  for (const [name, value] of Object.entries(result.extra ?? {})) metrics.push({ name, value });
  return metrics;
}
