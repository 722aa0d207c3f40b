import type { CompletionRequest, Prompt } from '../../backend';
import { BadRequestError, UnsupportedError } from '../../errors';

/** What goes into `/completion`'s `prompt`: a string, or strings and token ids mixed. */
export type WirePrompt = string | (string | number)[];

/**
 * Text items join into one string. Token-id items make a mixed array: no BOS is added to it, and the
 * server gives each string piece its own leading space (SentencePiece).
 */
export function wirePrompt(prompt: Prompt): WirePrompt {
  if (typeof prompt === 'string') return prompt;
  if (prompt.some((item) => item.type === 'image'))
    throw new UnsupportedError(
      'The llama.cpp backend takes text and token ids, not images. Remove the image from the prompt or use another backend.',
    );
  if (prompt.every((item) => item.type === 'text'))
    return prompt.map((item) => (item.type === 'text' ? item.text : '')).join('');
  return prompt.flatMap((item): (string | number)[] =>
    item.type === 'text' ? [item.text] : item.type === 'token_ids' ? item.ids : [],
  );
}

/** `n_probs` must be at least 1 for any probability; the top list is cut back to what was asked. */
export function completionBody(request: CompletionRequest, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    prompt: wirePrompt(request.prompt),
    n_predict: request.maxTokens,
    stream,
    cache_prompt: true,
  };
  if (request.temperature !== undefined) body['temperature'] = request.temperature;
  if (request.topK !== undefined) body['top_k'] = request.topK;
  if (request.topP !== undefined) body['top_p'] = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) body['stop'] = request.stop;
  if (request.seed !== undefined) body['seed'] = request.seed;
  if (request.logProbs !== undefined) body['n_probs'] = Math.max(1, request.logProbs);
  return { ...body, ...request.params, stream };
}

const NUMERIC_FIELDS = [
  'n_predict',
  'temperature',
  'top_k',
  'top_p',
  'min_p',
  'n_probs',
  'seed',
  'repeat_penalty',
  'repeat_last_n',
  'presence_penalty',
  'frequency_penalty',
  'n_keep',
  'slot_id',
  'id_slot',
  'typical_p',
  'tfs_z',
  'mirostat',
  'mirostat_tau',
  'mirostat_eta',
];

/**
 * An old server crashes or hangs on some requests a new one rejects politely: a token-id grammar, a
 * field of the wrong type, a string `system_prompt`, a missing or non-positive `n_predict` (it then
 * generates forever). Refuse those before sending, and rename `id_slot` to its old name.
 */
export function legacySafeBody(
  body: Record<string, unknown>,
  fallbackNPredict: number,
): Record<string, unknown> {
  const safe = { ...body };
  for (const key of NUMERIC_FIELDS) {
    const value = safe[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new BadRequestError(
        `"${key}" must be a number (an old llama.cpp server crashes on anything else)`,
      );
    }
  }
  const grammar = safe['grammar'];
  if (grammar !== undefined && typeof grammar !== 'string')
    throw new BadRequestError('"grammar" must be a string');
  if (typeof grammar === 'string' && /<\[\d+\]>/.test(grammar)) {
    throw new UnsupportedError(
      'This llama.cpp server is too old for token-id grammars (`<[id]>`): they crash it. Update the server, or drop the grammar.',
    );
  }
  if (typeof grammar === 'string' && grammar.trim() !== '' && !/(^|\n)\s*root\s*::=/.test(grammar)) {
    throw new BadRequestError('the grammar has no `root` rule (an old llama.cpp server crashes on it)');
  }
  if (
    safe['system_prompt'] !== undefined &&
    (typeof safe['system_prompt'] !== 'object' || safe['system_prompt'] === null)
  ) {
    throw new BadRequestError(
      '"system_prompt" must be an object on an old llama.cpp server (a string crashes it)',
    );
  }
  const nPredict = safe['n_predict'];
  if (typeof nPredict !== 'number' || nPredict < 1) safe['n_predict'] = Math.max(1, fallbackNPredict);
  if (safe['id_slot'] !== undefined && safe['slot_id'] === undefined) safe['slot_id'] = safe['id_slot'];
  delete safe['id_slot'];
  return safe;
}
