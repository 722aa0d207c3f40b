/**
 * log P(expected | prompt) on llama.cpp with the `token-id-grammar` method: ONE `/completion` whose
 * grammar forces the target's token ids (`root ::= <[id]> <[id]> ...`), `n_probs: 1`,
 * `temperature: 0`; each forced token's `logprob` is log P of that token. The other methods are in
 * biasScoring.ts and legacyScoring.ts; scoringPlan.ts chooses.
 */
import type { EvaluateResult, Usage } from '../../backend';
import { logprobEntrySchema, type CompletionBody } from './schemas';
import { usageOf } from './response';
import { UnexpectedScoringReply } from './scoringReply';

/** Where the prompt's tokens end and the target's begin in the joint tokenization. */
export interface TargetSplit {
  /** Prompt ids (with BOS) as scored: the joint tokenization up to the boundary. */
  promptIds: number[];
  targetIds: number[];
  /** The prompt's own tokenization is not a prefix of the joint one (its last token merged with the target's first). */
  merged: boolean;
}

/**
 * `joint` tokenizes prompt + expected, `alone` the prompt. Normally `alone` is a prefix of `joint`.
 * When the prompt's end merges with the target (a trailing space joins the next word), the boundary
 * moves back to the longest common prefix: the first target token then also covers the prompt's tail,
 * which is what the model really sees.
 */
export function splitTarget(joint: number[], alone: number[]): TargetSplit {
  let n = 0;
  while (n < joint.length && n < alone.length && joint[n] === alone[n]) n++;
  return { promptIds: joint.slice(0, n), targetIds: joint.slice(n), merged: n < alone.length };
}

export function tokenIdGrammar(ids: readonly number[]): string {
  return `root ::= ${ids.map((id) => `<[${id}]>`).join(' ')}`;
}

/** The `/completion` body that scores `targetIds` after `prompt` (token ids, or a string the server tokenizes with BOS). */
export function scoringBody(
  prompt: number[] | string | string[],
  targetIds: readonly number[],
  idSlot: number | undefined,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    prompt,
    n_predict: targetIds.length,
    n_probs: 1,
    temperature: 0,
    grammar: tokenIdGrammar(targetIds),
    cache_prompt: true,
    return_tokens: true,
  };
  if (idSlot !== undefined) body['id_slot'] = idSlot;
  return body;
}

/** Reads one scoring reply: the first `targetIds.length` entries (a forced EOS after them is dropped). */
export function resultFromScoring(
  body: CompletionBody,
  targetIds: readonly number[],
  expected: string,
  extra: Record<string, number | boolean | null>,
): EvaluateResult {
  const entries = body.completion_probabilities ?? [];
  const tokens: EvaluateResult['tokens'] = [];
  let greedy = true;
  for (const [i, id] of targetIds.entries()) {
    const parsed = logprobEntrySchema.safeParse(entries[i]);
    // A server that cannot parse token-id grammars drops them and answers free text (b4748: HTTP 200).
    if (!parsed.success || parsed.data.id !== id)
      throw new UnexpectedScoringReply(
        'token-id-grammar',
        `the server did not follow the grammar (token ${i} of the target is missing or differs)`,
      );
    const entry = parsed.data;
    tokens.push({ text: entry.token, logprob: entry.logprob <= -3.4e38 ? -Infinity : entry.logprob, id });
    if (entry.top_logprobs[0]?.id !== id) greedy = false;
  }
  return evaluateResult(tokens, expected, greedy, usageOf(body), extra);
}

export function evaluateResult(
  tokens: EvaluateResult['tokens'],
  expected: string,
  correctGreedy: boolean | undefined,
  usage: Usage,
  extra: Record<string, number | boolean | null>,
): EvaluateResult {
  const logProbability = tokens.reduce((sum, t) => sum + t.logprob, 0);
  const tokenCount = tokens.length;
  const characterCount = expected.length;
  const result: EvaluateResult = {
    logProbability,
    tokenCount,
    characterCount,
    tokens,
    perplexityPerToken: tokenCount > 0 ? Math.exp(-logProbability / tokenCount) : 1,
    perplexityPerCharacter: characterCount > 0 ? Math.exp(-logProbability / characterCount) : 1,
    usage,
  };
  if (correctGreedy !== undefined) result.correctGreedy = correctGreedy;
  if (Object.keys(extra).length > 0) result.extra = extra;
  return result;
}
