import type { CompletionRequest, Prompt } from '../../backend';
import { UnsupportedError } from '../../errors';

/** OpenAI completions take a string or a list of token ids; images and attention controls do not exist there. */
export function wirePrompt(prompt: Prompt): string | number[] {
  if (typeof prompt === 'string') return prompt;
  if (prompt.some((item) => item.type === 'image')) {
    throw new UnsupportedError(
      'OpenAI-compatible completions take no images. Use an Aleph Alpha profile for image prompts.',
    );
  }
  if (prompt.some((item) => (item.controls?.length ?? 0) > 0)) {
    throw new UnsupportedError(
      'Attention controls are an Aleph Alpha feature; OpenAI-compatible servers cannot apply them.',
    );
  }
  const kinds = new Set(prompt.map((item) => item.type));
  if (kinds.size > 1)
    throw new UnsupportedError('OpenAI-compatible completions cannot mix text and token ids in one prompt.');
  if (kinds.has('token_ids')) return prompt.flatMap((item) => (item.type === 'token_ids' ? item.ids : []));
  return prompt.map((item) => (item.type === 'text' ? item.text : '')).join('');
}

/** The `/v1/completions` body; front-matter `params` (API names) override the typed fields. */
export function completionBody(
  request: CompletionRequest,
  defaultModel: string | undefined,
  stream: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = { prompt: wirePrompt(request.prompt), max_tokens: request.maxTokens };
  const model = request.model ?? defaultModel;
  if (model !== undefined) body.model = model;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  // Not in OpenAI's API; vLLM and llama.cpp accept it.
  if (request.topK !== undefined) body.top_k = request.topK;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  // llama.cpp sends no probabilities at all for `logprobs: 0`, so ask for one and trim.
  if (request.logProbs !== undefined) body.logprobs = Math.max(1, request.logProbs);
  // Whether the reply streams is the caller's to decide, never a front matter's: the reader depends on it.
  const { stream: _ignored, ...params } = request.params ?? {};
  return { ...body, ...params, ...(stream && { stream: true }) };
}
