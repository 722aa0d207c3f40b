/** One sentence saying how a score or an explanation was obtained and what it cost, for every surface. */
import type { ExplainCost, ScoringCost } from './backend';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** e.g. "scored with string-grammar-bias: 3 requests (2 of them a one-time capability probe), 13 prompt tokens processed". */
export function describeScoringCost(cost: ScoringCost | undefined): string | undefined {
  if (!cost) return undefined;
  const probe = cost.probeRequests ? ` (${cost.probeRequests} of them a one-time capability probe)` : '';
  return `scored with ${cost.method}: ${plural(cost.requests, 'request')}${probe}, ${plural(cost.promptTokensProcessed, 'prompt token')} processed`;
}

/** e.g. "31 scoring calls with token-id-grammar: 31 requests, 9640 prompt tokens processed". */
export function describeExplainCost(cost: ExplainCost | undefined): string | undefined {
  if (!cost) return undefined;
  const methods = cost.methods && cost.methods.length > 0 ? ` with ${cost.methods.join(', ')}` : '';
  const requests = cost.requests === undefined ? '' : `${plural(cost.requests, 'request')}, `;
  return `${plural(cost.calls, 'scoring call')}${methods}: ${requests}${plural(cost.promptTokensProcessed, 'prompt token')} processed`;
}
