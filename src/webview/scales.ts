// How numbers become colors: probability buckets for tokens, signed heat levels for explanation
// scores. The CSS classes map each bucket to a theme color (media/panel.css).
import { heatStep } from '../core/explain/heat';

/** 0 (likely) .. 3 (unlikely) by the token's probability; undefined when the backend gave no number. */
export function probabilityLevel(logprob: number | null): 0 | 1 | 2 | 3 | undefined {
  if (logprob === null || !Number.isFinite(logprob)) return undefined;
  const p = Math.exp(logprob);
  if (p >= 0.8) return 0;
  if (p >= 0.5) return 1;
  if (p >= 0.2) return 2;
  return 3;
}

/** Heat of a score relative to the largest absolute score: -4..4, 0 for nothing to see (the editor's scale). */
export function heatLevel(score: number, maxAbs: number): number {
  return heatStep(score, maxAbs);
}

export function maxAbs(values: Iterable<number>): number {
  let max = 0;
  for (const value of values) if (Number.isFinite(value)) max = Math.max(max, Math.abs(value));
  return max;
}

/** The shared number formats (src/core/format.ts): the panel reads like the editor and the CLI. */
export { formatNumber, formatProbability as formatPercent } from '../core/format';
