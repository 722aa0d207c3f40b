// How explanation scores are painted: a signed intensity step per score, relative to the largest
// |score| shown, and each score's rank by strength. Pure, so the CLI and tests use it too.

/** Intensity steps per sign (the colors `promptLens.heat.positive1..4` and `negative1..4`). */
export const HEAT_STEPS = 4;

/**
 * Signed step of each score: 1..4 for scores that helped produce the target, -1..-4 for scores that
 * worked against it, 0 for no score (undefined, NaN) or exactly zero. Step k covers |score| in
 * ((k-1)/4, k/4] of the largest |score|.
 */
export function heatSteps(scores: readonly (number | undefined)[]): number[] {
  const max = maxAbs(scores);
  return scores.map((score) => {
    if (score === undefined || !Number.isFinite(score) || score === 0 || max === 0) return 0;
    const step = Math.min(HEAT_STEPS, Math.max(1, Math.ceil((Math.abs(score) / max) * HEAT_STEPS)));
    return score > 0 ? step : -step;
  });
}

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

/** A score with its sign and 3 significant digits, e.g. `+0.0812`, `-1.23e-5`. */
export function formatScore(score: number): string {
  const sign = score > 0 ? '+' : score < 0 ? '-' : '';
  const magnitude = Math.abs(score);
  if (magnitude === 0) return '0';
  const text = magnitude >= 1e-3 && magnitude < 1e4 ? magnitude.toPrecision(3) : magnitude.toExponential(2);
  return `${sign}${text}`;
}
