/** /evaluate (spec section 5), with per-token log-probs from an echo /complete call where possible. */
import type { EvaluateRequest, EvaluateResult } from '../../backend';
import { InvalidResponseError } from '../../errors';
import { toWirePrompt } from './prompt';
import type { CompleteResponse, EvaluateResponse } from './schemas';

export function evaluateBody(request: EvaluateRequest, model: string): Record<string, unknown> {
  return { model, prompt: toWirePrompt(request.prompt), completion_expected: request.expected };
}

/**
 * /evaluate gives only totals. Scoring prompt + expected with `echo` (no new tokens) gives the log-prob
 * of every token; the expected text is its own item so its tokens are the last ones.
 */
export function echoBody(request: EvaluateRequest, model: string): Record<string, unknown> {
  return {
    model,
    prompt: [...toWirePrompt(request.prompt), { type: 'text', data: request.expected }],
    maximum_tokens: 0,
    echo: true,
    tokens: true,
    log_probs: 0,
    disable_optimizations: true,
  };
}

type TokenScore = EvaluateResult['tokens'][number];

/** The expected text's tokens from an echo reply, or undefined when they do not line up with it. */
export function expectedTokens(
  reply: CompleteResponse,
  expected: string,
  tokenCount: number,
): TokenScore[] | undefined {
  const wire = reply.completions[0];
  const texts = wire?.completion_tokens;
  const maps = wire?.log_probs;
  if (!texts || !maps || texts.length !== maps.length || tokenCount === 0 || tokenCount > texts.length)
    return undefined;
  const tokens: TokenScore[] = [];
  for (let i = texts.length - tokenCount; i < texts.length; i++) {
    const text = texts[i] ?? '';
    const logprob = maps[i]?.[text];
    if (typeof logprob !== 'number') return undefined;
    tokens.push({ text, logprob });
  }
  return tokens.map((t) => t.text).join('') === expected ? tokens : undefined;
}

const KNOWN_KEYS = new Set([
  'log_probability',
  'token_count',
  'character_count',
  'correct_greedy',
  'completion',
]);

export function toEvaluateResult(
  reply: EvaluateResponse,
  expected: string,
  perToken: TokenScore[] | undefined,
  rawBody: () => string,
): EvaluateResult {
  const result = reply.result;
  const logProbability =
    result.log_probability ??
    (typeof result.log_perplexity === 'number' ? -result.log_perplexity : undefined);
  if (logProbability === undefined) {
    throw new InvalidResponseError(
      'The server sent an evaluation without a log-probability. Check that the URL points to an Aleph Alpha API.',
      rawBody(),
    );
  }
  const tokenCount = result.token_count ?? perToken?.length ?? 0;
  const characterCount = result.character_count ?? [...expected].length;
  const perTokenLog = result.log_perplexity_per_token ?? (tokenCount ? -logProbability / tokenCount : 0);
  const perCharacterLog =
    result.log_perplexity_per_character ?? (characterCount ? -logProbability / characterCount : 0);
  const extra: Record<string, number | boolean | null> = {};
  for (const [key, value] of Object.entries(result)) {
    if (!KNOWN_KEYS.has(key) && (typeof value === 'number' || typeof value === 'boolean' || value === null))
      extra[key] = value;
  }
  return {
    logProbability,
    tokenCount,
    characterCount,
    // Without per-token numbers, the whole expected text is one scored piece.
    tokens: perToken ?? [{ text: expected, logprob: logProbability }],
    perplexityPerToken: Math.exp(perTokenLog),
    perplexityPerCharacter: Math.exp(perCharacterLog),
    ...(typeof result.correct_greedy === 'boolean' ? { correctGreedy: result.correct_greedy } : {}),
    extra,
    ...(reply.num_tokens_prompt_total === undefined
      ? {}
      : { usage: { promptTokens: reply.num_tokens_prompt_total } }),
  };
}
