import type { FinishReason, TokenLogProb, TopToken, Usage } from '../../backend';
import type { CompletionBody, ProbEntry } from './schemas';

/** Linear probability to natural log (0 -> -Infinity). */
const ln = (p: number): number => Math.log(p);

/** Current servers send -FLT_MAX for probability 0. */
const fromWireLogprob = (x: number): number => (x <= -3.4e38 ? -Infinity : x);

/** One probability entry, whichever generation wrote it, as the core's TokenLogProb (top cut to `topN`). */
export function tokenFromEntry(entry: ProbEntry, topN: number): TokenLogProb {
  if ('logprob' in entry) {
    const top: TopToken[] = entry.top_logprobs
      .slice(0, topN)
      .map((t) => ({ text: t.token, logprob: fromWireLogprob(t.logprob), id: t.id }));
    return { text: entry.token, logprob: fromWireLogprob(entry.logprob), id: entry.id, top };
  }
  if ('prob' in entry) {
    const top: TopToken[] = entry.top_probs
      .slice(0, topN)
      .map((t) => ({ text: t.token, logprob: ln(t.prob), id: t.id }));
    return { text: entry.token, logprob: ln(entry.prob), id: entry.id, top };
  }
  // Old server: no ids; the sampled token has a number only when it is among the listed candidates.
  const own = entry.probs.find((p) => p.tok_str === entry.content);
  return {
    text: entry.content,
    logprob: own ? ln(own.prob) : null,
    top: entry.probs.slice(0, topN).map((p) => ({ text: p.tok_str, logprob: ln(p.prob) })),
  };
}

export function isLegacyBody(body: CompletionBody): boolean {
  return body.slot_id !== undefined || body.stopped_limit !== undefined || body.stopped_eos !== undefined;
}

export function finishReasonOf(body: CompletionBody): FinishReason {
  switch (body.stop_type) {
    case 'eos':
      return 'end-of-text';
    case 'word':
      return 'stop';
    case 'limit':
      return 'length';
  }
  if (body.stopped_eos) return 'end-of-text';
  if (body.stopped_word) return 'stop';
  if (body.stopped_limit) return 'length';
  return 'unknown';
}

export function usageOf(body: CompletionBody): Usage {
  const usage: Usage = {};
  if (body.tokens_evaluated !== undefined) usage.promptTokens = body.tokens_evaluated;
  if (body.tokens_predicted !== undefined) usage.completionTokens = body.tokens_predicted;
  const promptN = body.timings?.prompt_n;
  if (promptN !== undefined) usage.promptTokensProcessed = promptN;
  const cacheN =
    body.timings?.cache_n ??
    (promptN !== undefined && body.tokens_evaluated !== undefined
      ? body.tokens_evaluated - promptN
      : undefined);
  if (cacheN !== undefined) usage.promptTokensCached = Math.max(0, cacheN);
  return usage;
}

export function slotOf(body: CompletionBody): number | undefined {
  return body.id_slot ?? body.slot_id;
}

/** Several prompts: current servers answer an array in order (with `index`); old ones `{results}` in any order, matched by the echoed prompt. */
export function orderResults(
  reply: CompletionBody | CompletionBody[] | { results: CompletionBody[] },
  sent: unknown[],
): CompletionBody[] {
  if (Array.isArray(reply)) return [...reply].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  if (!('results' in reply)) return [reply];
  const left = [...reply.results];
  return sent.map((prompt) => {
    const at = left.findIndex((r) => JSON.stringify(r.prompt) === JSON.stringify(prompt));
    const [match] = left.splice(at >= 0 ? at : 0, 1);
    return match ?? { content: '' };
  });
}

export function sumUsage(list: (Usage | undefined)[]): Usage {
  const total: Usage = {};
  for (const usage of list) {
    if (!usage) continue;
    for (const key of [
      'promptTokens',
      'completionTokens',
      'promptTokensProcessed',
      'promptTokensCached',
    ] as const) {
      const value = usage[key];
      if (value !== undefined) total[key] = (total[key] ?? 0) + value;
    }
  }
  return total;
}
