import type { Backend, CompletionDelta, CompletionRequest, Prompt } from '../../core/backend';
import type { PromptFileSettings } from '../../core/promptFile/index';
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

/** The backend's stream, or its one-shot completion as a single delta where it cannot stream. */
export async function* completionDeltas(backend: Backend, canStream: boolean, request: CompletionRequest): AsyncIterable<CompletionDelta> {
  if (canStream) {
    yield* backend.stream(request);
    return;
  }
  const result = await backend.complete(request);
  const first = result.completions[0];
  yield {
    index: 0,
    text: first?.text ?? '',
    tokens: first?.tokens ?? [],
    finishReason: first?.finishReason ?? 'unknown',
    ...(result.usage !== undefined && { usage: result.usage }),
  };
}
