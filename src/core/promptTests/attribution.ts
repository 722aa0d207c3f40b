// `drivenBy`: the share of the positive attribution that falls on a named part of the rendered prompt
// (a `{% promptrange %}` or the output of a `{{ variable }}`), from an explanation's span scores.
import type { ExplainResult } from '../backend';

/** A named part of the rendered text (UTF-16 offsets into the prompt's joined text). */
export interface NamedRegion {
  name: string;
  start: number;
  length: number;
}

/** Positive scores of text spans, placed in the joined prompt text. */
export function positiveSpans(
  result: ExplainResult,
  itemStarts: readonly (number | undefined)[],
): { start: number; length: number; score: number }[] {
  const spans: { start: number; length: number; score: number }[] = [];
  for (const explanation of result.explanations)
    explanation.items.forEach((item, index) => {
      if (item.type !== 'text') return;
      const base = itemStarts[index] ?? 0;
      for (const s of item.scores)
        if (s.score > 0 && s.length > 0)
          spans.push({ start: base + s.start, length: s.length, score: s.score });
    });
  return spans;
}

/** Share (0..1) of the positive attribution on each region name; a span counts by the fraction it overlaps. */
export function regionShares(
  spans: readonly { start: number; length: number; score: number }[],
  regions: readonly NamedRegion[],
): Map<string, number> {
  const total = spans.reduce((sum, s) => sum + s.score, 0);
  const shares = new Map<string, number>();
  for (const region of regions) if (!shares.has(region.name)) shares.set(region.name, 0);
  if (total <= 0) return shares;
  const byName = new Map<string, NamedRegion[]>();
  for (const region of regions) byName.set(region.name, [...(byName.get(region.name) ?? []), region]);
  for (const [name, parts] of byName) {
    let sum = 0;
    for (const span of spans) {
      // Overlap with the union of the name's parts (occurrences in a loop may touch, never double count).
      const covered = coveredLength(span.start, span.start + span.length, parts);
      sum += span.score * (covered / span.length);
    }
    shares.set(name, Math.min(1, sum / total));
  }
  return shares;
}

function coveredLength(start: number, end: number, parts: readonly NamedRegion[]): number {
  const clipped = parts
    .map((p) => [Math.max(start, p.start), Math.min(end, p.start + p.length)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let reach = start;
  for (const [a, b] of clipped) {
    const from = Math.max(a, reach);
    if (b > from) covered += b - from;
    reach = Math.max(reach, b);
  }
  return covered;
}
