// How explanation scores are painted: a signed intensity step per score, relative to the largest
// |score| shown, and each score's rank by strength. Pure, so the CLI and tests use it too.
import { formatSigned } from '../format';

/** Intensity steps per sign (the colors `promptLens.heat.positive1..4` and `negative1..4`). */
export const HEAT_STEPS = 4;

/**
 * Scores weaker than this share of the strongest |score| are left uncoloured: at that size they are
 * noise next to the spans that matter, and a faint color would still read as "this mattered".
 */
export const HEAT_MIN_SHARE = 0.05;

/**
 * Signed step of one score against the largest |score| shown: 0 for no score (undefined, NaN),
 * zero, or below `HEAT_MIN_SHARE` of the largest; else 1..4 (helped) or -1..-4 (worked against),
 * step k covering |score| in ((k-1)/4, k/4] of the largest (step 1 from `HEAT_MIN_SHARE`).
 */
export function heatStep(score: number | undefined, max: number): number {
  if (score === undefined || !Number.isFinite(score) || score === 0 || !(max > 0)) return 0;
  const share = Math.abs(score) / max;
  if (share < HEAT_MIN_SHARE) return 0;
  const step = Math.min(HEAT_STEPS, Math.max(1, Math.ceil(share * HEAT_STEPS)));
  return score > 0 ? step : -step;
}

/** `heatStep` of every score against the largest |score| among them. */
export function heatSteps(scores: readonly (number | undefined)[]): number[] {
  const max = maxAbs(scores);
  return scores.map((score) => heatStep(score, max));
}

/** The share of the strongest score a step covers, e.g. `25–50%` for step ±2. */
export function stepShare(step: number): string {
  const k = Math.abs(step);
  if (k === 0) return `below ${HEAT_MIN_SHARE * 100}%`;
  const low = k === 1 ? HEAT_MIN_SHARE * 100 : ((k - 1) / HEAT_STEPS) * 100;
  return `${low}–${(k / HEAT_STEPS) * 100}%`;
}

/** The color scale in one sentence, for hovers, tooltips and the panel's legend. */
export const HEAT_SCALE =
  `Orange: helped produce the target; purple: worked against it. Four steps by strength relative to ` +
  `the strongest span (up to 25, 50, 75 and 100%); spans below ${HEAT_MIN_SHARE * 100}% of it stay uncoloured.`;

export function maxAbs(scores: readonly (number | undefined)[]): number {
  let max = 0;
  for (const score of scores)
    if (score !== undefined && Number.isFinite(score)) max = Math.max(max, Math.abs(score));
  return max;
}

/**
 * 1-based rank of each score by |score|, strongest first (equal strengths share a rank); 0 for no
 * score. `of` is how many scores were ranked.
 */
export function heatRanks(scores: readonly (number | undefined)[]): { ranks: number[]; of: number } {
  const scored = scores
    .map((score, index) => ({
      strength: score === undefined || !Number.isFinite(score) ? -1 : Math.abs(score),
      index,
    }))
    .filter((s) => s.strength >= 0)
    .sort((a, b) => b.strength - a.strength);
  const ranks = scores.map(() => 0);
  scored.forEach((s, position) => {
    const previous = scored[position - 1];
    ranks[s.index] =
      previous && previous.strength === s.strength ? (ranks[previous.index] as number) : position + 1;
  });
  return { ranks, of: scored.length };
}

/** 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st, ... */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

/** A score with its sign, in the shared number format, e.g. `+0.0812`, `-1.9e-5`. */
export const formatScore = formatSigned;
