/**
 * Scoring on an old llama.cpp server (no token-id grammars): one request per target token,
 * `{prompt: [BOS, ...prompt, ...target[:k]], n_predict: 1, n_probs: <vocab size>, temperature: 0,
 * repeat_penalty: 1.0}`, reading the probability of the entry whose `tok_str` is the target token's
 * piece. Pieces are not unique (every ASCII character is also a byte token): for an ambiguous piece a
 * second request bans the target (`logit_bias: [[id, false]]`); its entry vanishes and the others
 * scale by 1/(1-p), which tells which entry was the target's.
 */
import type { EvaluateResult, Usage } from '../../backend';
import { InvalidResponseError } from '../../errors';
import { evaluateResult, type TargetSplit } from './scoring';
import { legacyProbEntrySchema, type CompletionBody } from './schemas';
import { sumUsage, usageOf } from './response';

export interface LegacyScoringDeps {
  completion(body: Record<string, unknown>): Promise<CompletionBody>;
  /** The token's text as the server writes `tok_str` (from `/detokenize [id]`). */
  piece(id: number): Promise<string>;
}

function probsOf(body: CompletionBody): { tok_str: string; prob: number }[] {
  const parsed = legacyProbEntrySchema.safeParse(body.completion_probabilities?.[0]);
  if (!parsed.success)
    throw new InvalidResponseError(
      'The old llama.cpp server sent no candidate probabilities.',
      JSON.stringify(body).slice(0, 4000),
    );
  return parsed.data.probs;
}

/** Which of the ambiguous entries `a` vanished in `b` (the reply with the target banned). */
function pickBanned(a: number[], b: number[]): number {
  const sortedB = [...b].sort((x, y) => y - x);
  let best = 0;
  let bestError = Infinity;
  for (const [i, p] of a.entries()) {
    const rest = a
      .filter((_, j) => j !== i)
      .map((q) => q / (1 - p))
      .sort((x, y) => y - x);
    const error = rest.reduce((sum, q, j) => sum + Math.abs(q - (sortedB[j] ?? 0)), 0);
    if (error < bestError) {
      bestError = error;
      best = i;
    }
  }
  return a[best] ?? 0;
}

export async function legacyEvaluate(
  deps: LegacyScoringDeps,
  split: TargetSplit,
  nVocab: number,
  expected: string,
  idSlot: number | undefined,
): Promise<EvaluateResult> {
  const tokens: EvaluateResult['tokens'] = [];
  const usages: Usage[] = [];
  let greedy = true;
  let requests = 0;
  for (const [k, id] of split.targetIds.entries()) {
    const body: Record<string, unknown> = {
      prompt: [...split.promptIds, ...split.targetIds.slice(0, k)],
      n_predict: 1,
      n_probs: nVocab,
      temperature: 0,
      repeat_penalty: 1.0,
      cache_prompt: true,
    };
    if (idSlot !== undefined) body['slot_id'] = idSlot;
    const [reply, piece] = await Promise.all([deps.completion(body), deps.piece(id)]);
    requests++;
    usages.push(usageOf(reply));
    const probs = probsOf(reply);
    const matches = probs.filter((p) => p.tok_str === piece && p.prob > 0);
    if (matches.length === 0)
      throw new InvalidResponseError(
        `The old llama.cpp server listed no probability for the target token ${JSON.stringify(piece)}.`,
        JSON.stringify(reply).slice(0, 4000),
      );
    let prob = matches[0]?.prob ?? 0;
    if (matches.length > 1) {
      const banned = await deps.completion({ ...body, logit_bias: [[id, false]] });
      requests++;
      usages.push(usageOf(banned));
      const left = probsOf(banned).filter((p) => p.tok_str === piece && p.prob > 0);
      prob = pickBanned(
        matches.map((m) => m.prob),
        left.map((m) => m.prob),
      );
    }
    const top = probs[0];
    if (!top || top.tok_str !== piece || top.prob !== prob) greedy = false;
    tokens.push({ text: piece, logprob: Math.log(prob), id });
  }
  return evaluateResult(tokens, expected, greedy, sumUsage(usages), {
    requests,
    boundaryMerged: split.merged,
  });
}
