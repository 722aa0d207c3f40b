/** The scoring methods' names, and what makes a scoring reply unexpected. */

export type ScoringMethod = 'token-id-grammar' | 'string-grammar-bias' | 'token-bias' | 'full-vocabulary';

/** A reply that does not do what the method asked: the caller moves to the next method. */
export class UnexpectedScoringReply extends Error {
  constructor(
    readonly method: ScoringMethod,
    reason: string,
  ) {
    super(`${method}: ${reason}`);
  }
}

/**
 * A reported log-probability must be raw: never above the best unconstrained token's, unless it is
 * that token. A server that reported biased numbers would show the forced token near 0 here.
 */
export function consistent(entry: {
  id: number;
  logprob: number;
  top_logprobs: { id: number; logprob: number }[];
}): boolean {
  const best = entry.top_logprobs[0];
  if (!best) return false;
  return best.id === entry.id || entry.logprob <= best.logprob + 1e-6;
}
