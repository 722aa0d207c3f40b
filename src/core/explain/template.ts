// Maps explanation scores on the rendered prompt back onto a `.prompt` template through its source
// map, and sums them per variable output and per `promptrange`.
//
// Rules. Literal template text maps character by character. A `{{ expr }}` output (or a tag that
// produced text, e.g. an include) maps as a whole to its source range: every score landing in its
// output is summed there. A scored span that straddles several source pieces is shared among them in
// proportion to the rendered characters each covers, so no score is counted twice and the totals on
// the template equal the totals on the rendered prompt. Text rendered several times from the same
// source (a loop) sums into the same source span.
import type { TextSpanScore } from '../backend';
import type { RenderResult, SourceMapEntry } from '../promptFile/index';

export interface SourceSpanScore {
  /** UTF-16 offsets into the whole `.prompt` file. */
  sourceStart: number;
  sourceLength: number;
  score: number;
  /** Set when the span is (part of) a `{{ expr }}` output. */
  variable?: string;
}

export interface TemplateExplanation {
  /** Sorted by source position. */
  spans: SourceSpanScore[];
  /** In order of first appearance in the template. */
  perVariable: { variable: string; score: number }[];
  /** One entry per range name (a range inside a loop sums over its iterations), in template order. */
  perRange: { name: string; score: number }[];
}

/** `scores` are spans of `render.text` (UTF-16 offsets), as the explanation of the rendered prompt gives them. */
export function explanationOnTemplate(
  scores: readonly TextSpanScore[],
  render: RenderResult,
): TemplateExplanation {
  const map = [...render.map].sort((a, b) => a.renderedStart - b.renderedStart);
  const spans = new Map<string, SourceSpanScore>();
  const add = (piece: SourceSpanScore) => {
    const key = `${piece.sourceStart}:${piece.sourceLength}`;
    const existing = spans.get(key);
    if (existing) existing.score += piece.score;
    else spans.set(key, { ...piece });
  };
  for (const scored of scores) {
    if (scored.length <= 0) continue;
    for (const piece of sourcePieces(map, scored.start, scored.start + scored.length)) {
      add({ ...piece.source, score: (scored.score * piece.renderedLength) / scored.length });
    }
  }
  const sorted = [...spans.values()].sort(
    (a, b) => a.sourceStart - b.sourceStart || a.sourceLength - b.sourceLength,
  );
  const perVariable = new Map<string, number>();
  for (const span of sorted) {
    if (span.variable !== undefined)
      perVariable.set(span.variable, (perVariable.get(span.variable) ?? 0) + span.score);
  }
  const perRange = new Map<string, number>();
  for (const range of [...render.ranges].sort((a, b) => a.sourceStart - b.sourceStart)) {
    const inside = scores.reduce(
      (sum, s) =>
        sum +
        (s.length > 0
          ? (s.score * overlap(s.start, s.start + s.length, range.start, range.start + range.length)) /
            s.length
          : 0),
      0,
    );
    perRange.set(range.name, (perRange.get(range.name) ?? 0) + inside);
  }
  return {
    spans: sorted,
    perVariable: [...perVariable].map(([variable, score]) => ({ variable, score })),
    perRange: [...perRange].map(([name, score]) => ({ name, score })),
  };
}

interface Piece {
  renderedLength: number;
  source: Omit<SourceSpanScore, 'score'>;
}

/** The source pieces behind rendered [from, to): literal text 1:1, outputs and tags whole. */
function sourcePieces(map: readonly SourceMapEntry[], from: number, to: number): Piece[] {
  const pieces: Piece[] = [];
  for (const entry of map) {
    const entryEnd = entry.renderedStart + entry.renderedLength;
    if (entryEnd <= from) continue;
    if (entry.renderedStart >= to) break;
    const start = Math.max(from, entry.renderedStart);
    const end = Math.min(to, entryEnd);
    if (end <= start) continue;
    if (entry.kind === undefined || entry.kind === 'text') {
      pieces.push({
        renderedLength: end - start,
        source: { sourceStart: entry.sourceStart + (start - entry.renderedStart), sourceLength: end - start },
      });
    } else {
      pieces.push({
        renderedLength: end - start,
        source: {
          sourceStart: entry.sourceStart,
          sourceLength: entry.sourceLength,
          ...(entry.variable === undefined ? {} : { variable: entry.variable }),
        },
      });
    }
  }
  return pieces;
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}
