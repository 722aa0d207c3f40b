// Geometry of the sorted horizontal bar chart of explanation segments: pure numbers, drawn as SVG by
// views/explanation.ts. Bars grow right of a zero line for positive scores and left of it for negative.

export interface BarInput {
  label: string;
  score: number;
}

export interface Bar extends BarInput {
  /** Rank after sorting by absolute score, largest first. */
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BarLayout {
  bars: Bar[];
  width: number;
  height: number;
  /** x of the zero line. */
  zeroX: number;
}

export interface BarOptions {
  width: number;
  barHeight: number;
  gap: number;
  /** Room on the left for labels. */
  labelWidth: number;
  /** At most this many bars (the largest). */
  limit: number;
}

export const DEFAULT_BAR_OPTIONS: BarOptions = {
  width: 360,
  barHeight: 16,
  gap: 4,
  labelWidth: 120,
  limit: 20,
};

export function layoutBars(
  inputs: readonly BarInput[],
  options: BarOptions = DEFAULT_BAR_OPTIONS,
): BarLayout {
  const sorted = inputs
    .filter((input) => Number.isFinite(input.score))
    .map((input, order) => ({ input, order }))
    .sort((p, q) => Math.abs(q.input.score) - Math.abs(p.input.score) || p.order - q.order)
    .slice(0, options.limit)
    .map(({ input }) => input);
  const plot = Math.max(0, options.width - options.labelWidth);
  const maxPositive = Math.max(0, ...sorted.map((bar) => bar.score));
  const maxNegative = Math.max(0, ...sorted.map((bar) => -bar.score));
  const range = maxPositive + maxNegative;
  const zeroX = options.labelWidth + (range > 0 ? (plot * maxNegative) / range : 0);
  const scale = range > 0 ? plot / range : 0;
  const bars = sorted.map((input, index) => {
    const width = Math.abs(input.score) * scale;
    return {
      ...input,
      index,
      x: input.score >= 0 ? zeroX : zeroX - width,
      y: index * (options.barHeight + options.gap),
      width,
      height: options.barHeight,
    };
  });
  const height = bars.length === 0 ? 0 : bars.length * (options.barHeight + options.gap) - options.gap;
  return { bars, width: options.width, height, zeroX };
}
