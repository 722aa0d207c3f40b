import type { Backend, CompletionDelta, CompletionRequest, Prompt } from '../../core/backend';
import type { PromptFileSettings } from '../../core/promptFile/index';
import { canStreamWith } from '../../core/completionChoices';
import { config } from '../../config';

/**
 * The request a completion command sends: the `promptLens.completion.*` settings, then the `.prompt`
 * file's `model` and `params` (backend-native names, applied last by the backend).
 */
export function completionRequest(prompt: Prompt, model: string | undefined, settings: PromptFileSettings | undefined, signal: AbortSignal): CompletionRequest {
  const params = settings?.params ?? {};
  return {
    prompt,
    maxTokens: config.maxTokens(),
    temperature: config.temperature(),
    logProbs: config.topLogProbs(),
    signal,
    ...(model !== undefined && { model }),
    ...(Object.keys(params).length > 0 && { params }),
  };
}

/**
 * The backend's stream, or its one-shot completion as deltas where it cannot stream (or the params
 * ask for `best_of` candidates, which no server streams): one delta per completion, with its index.
 */
export async function* completionDeltas(backend: Backend, canStream: boolean, request: CompletionRequest): AsyncIterable<CompletionDelta> {
  if (canStream && canStreamWith(request.params)) {
    yield* backend.stream(request);
    return;
  }
  const result = await backend.complete(request);
  const completions = result.completions.length > 0 ? result.completions : [{ text: '', tokens: [], finishReason: 'unknown' as const }];
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
