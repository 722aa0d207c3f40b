/**
 * Batch scoring: one target after several prompts in as few requests as possible. Where the server
 * scores in one request (`token-id-grammar`, `string-grammar-bias`), string prompts go together:
 * one `/completion` with `prompt: [s1, s2, ...]` (the server spreads them over its slots). A prompt
 * goes alone (token ids, pinned slot) when its joint tokenization with the target differs from the
 * others' target ids or merges across the boundary, when it holds token ids, when its reply in the
 * batch was not the one asked for, or when the server has no one-request method.
 */
import type { BatchEvaluation, BatchOptions, Prompt } from '../../backend';
import { optional } from '../../optionalFields';
import { literalGrammar, SCORING_BIAS } from './biasScoring';
import type { LlamaCppClient } from './client';
import { wirePrompt } from './request';
import { slotOf, usageOf } from './response';
import type { CompletionBody } from './schemas';
import { evaluateResult, resultFromScoring, scoringBody } from './scoring';
import type { LlamaCppScorer, ScoringSplit } from './scorer';
import { consistent, UnexpectedScoringReply, type ScoringMethod } from './scoringReply';
import { logprobEntrySchema } from './schemas';

export async function evaluateBatch(
  client: LlamaCppClient,
  scorer: LlamaCppScorer,
  prompts: Prompt[],
  expected: string,
  options: BatchOptions,
): Promise<BatchEvaluation[]> {
  const signal = options.signal;
  const [method] = await scorer.methods(signal);
  const splits = await Promise.all(prompts.map((p) => scorer.split(p, expected, signal)));
  const results = new Array<BatchEvaluation>(prompts.length);
  const oneRequest = method === 'token-id-grammar' || method === 'string-grammar-bias';
  const alone: number[] = [];
  const batches = new Map<string, number[]>();
  splits.forEach((split, i) => {
    const text = wirePrompt(prompts[i] ?? '');
    const batchable = method === 'token-id-grammar' || split.targetText !== undefined;
    if (
      !oneRequest ||
      !batchable ||
      split.merged ||
      typeof text !== 'string' ||
      split.targetIds.length === 0
    ) {
      alone.push(i);
      return;
    }
    const key = split.targetIds.join(',');
    batches.set(key, [...(batches.get(key) ?? []), i]);
  });
  let request = 0;
  for (const members of batches.values()) {
    const first = splits[members[0] ?? 0];
    if (!first || !method || members.length === 1) {
      alone.push(...members);
      continue;
    }
    const strings = members.map((i) => wirePrompt(prompts[i] ?? '') as string);
    const replies = await client.completion(batchBody(method, strings, first), strings, signal);
    members.forEach((promptIndex, k) => {
      const reply = replies[k];
      const result = reply && readBatchReply(method, reply, first, expected);
      if (!result) {
        alone.push(promptIndex);
        return;
      }
      // The request is counted once, on its first member; each member has its own prompt tokens.
      const processed = result.usage?.promptTokensProcessed ?? 0;
      results[promptIndex] = {
        ...result,
        cost: { method, requests: k === 0 ? 1 : 0, promptTokensProcessed: processed },
        request,
        ...optional('slot', slotOf(reply)),
      };
    });
    request++;
  }
  for (const i of alone.sort((a, b) => a - b)) {
    const split = splits[i];
    if (!split) continue;
    results[i] = { ...(await scorer.score(split, expected, options.slot, signal)), request };
    request++;
  }
  return results;
}

function batchBody(method: ScoringMethod, strings: string[], split: ScoringSplit): Record<string, unknown> {
  const body = scoringBody(strings, split.targetIds, undefined);
  if (method === 'token-id-grammar' || split.targetText === undefined) return body;
  return {
    ...body,
    grammar: literalGrammar(split.targetText),
    logit_bias: [...new Set(split.targetIds)].map((id) => [id, SCORING_BIAS]),
  };
}

/** The member's result, or undefined when its reply is not exactly the target (it is then scored alone). */
function readBatchReply(
  method: ScoringMethod,
  reply: CompletionBody,
  split: ScoringSplit,
  expected: string,
): ReturnType<typeof evaluateResult> | undefined {
  const extra = { boundaryMerged: split.merged };
  try {
    if (method === 'token-id-grammar') return resultFromScoring(reply, split.targetIds, expected, extra);
  } catch (error) {
    if (error instanceof UnexpectedScoringReply) return undefined;
    throw error;
  }
  const entries = reply.completion_probabilities ?? [];
  const tokens: { text: string; logprob: number; id: number }[] = [];
  let greedy = true;
  for (const [k, id] of split.targetIds.entries()) {
    const entry = logprobEntrySchema.safeParse(entries[k]);
    if (!entry.success || entry.data.id !== id || !consistent(entry.data)) return undefined;
    tokens.push({
      text: entry.data.token,
      logprob: entry.data.logprob <= -3.4e38 ? -Infinity : entry.data.logprob,
      id,
    });
    if (entry.data.top_logprobs[0]?.id !== id) greedy = false;
  }
  return evaluateResult(tokens, expected, greedy, usageOf(reply), extra);
}
