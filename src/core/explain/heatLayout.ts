// Where scored prompt spans are painted: on the document text they came from, or, for a `.prompt`
// file, on the template source through the render's source map. A span that went through a
// `{{ expr }}` output paints the whole tag; spans landing on the same source (one tag, a literal in a
// loop) become one group whose score is their sum, so nothing is painted twice.
import type { SourceMapEntry } from '../promptFile/index';
import type { PromptSpan } from './heatModel';

export interface HeatGroup {
  /** Document offsets, [start, end), sorted, not overlapping. */
  ranges: { start: number; end: number }[];
  /** Root variables of the `{{ }}` outputs in the group, for the hover. */
  variables: string[];
}

export interface HeatLayout {
  groups: HeatGroup[];
  /** Group of each prompt span; -1 where a span maps to no document text. */
  groupOfSpan: number[];
}

/** Spans of a prompt read straight from the document, `offset` being where the prompt starts. */
export function layoutOnDocument(spans: readonly PromptSpan[], offset: number): HeatLayout {
  return {
    groups: spans.map((s) => ({ ranges: [{ start: offset + s.start, end: offset + s.end }], variables: [] })),
    groupOfSpan: spans.map((_, i) => i),
  };
}

interface Piece {
  start: number;
  end: number;
  span: number;
  variable?: string;
}

/** Spans of a rendered `.prompt` file, painted on its source. */
export function layoutOnTemplate(spans: readonly PromptSpan[], map: readonly SourceMapEntry[]): HeatLayout {
  const pieces: Piece[] = [];
  spans.forEach((span, index) => pieces.push(...sourcePieces(span, index, map)));
  pieces.sort((a, b) => a.start - b.start || a.end - b.end);

  // Spans whose source pieces overlap join one group (union-find over span indices).
  const parent = spans.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      const up = parent[parent[i] as number] as number;
      parent[i] = up;
      i = up;
    }
    return i;
  };
  let reachEnd = -1;
  let reachSpan = -1;
  for (const piece of pieces) {
    if (piece.start < reachEnd) parent[find(piece.span)] = find(reachSpan);
    if (piece.end > reachEnd) {
      reachEnd = piece.end;
      reachSpan = piece.span;
    }
  }

  const groupOfRoot = new Map<number, number>();
  const groupOfSpan = spans.map(() => -1);
  const groupPieces: Piece[][] = [];
  for (const piece of pieces) {
    const root = find(piece.span);
    let group = groupOfRoot.get(root);
    if (group === undefined) {
      group = groupPieces.length;
      groupOfRoot.set(root, group);
      groupPieces.push([]);
    }
    groupOfSpan[piece.span] = group;
    (groupPieces[group] as Piece[]).push(piece);
  }
  const groups = groupPieces.map((members) => ({
    ranges: mergeRanges(members),
    variables: [...new Set(members.flatMap((p) => (p.variable === undefined ? [] : [p.variable])))],
  }));
  return { groups, groupOfSpan };
}

/** The source text a rendered span came from: literal characters one to one, a tag or output whole. */
function sourcePieces(span: PromptSpan, index: number, map: readonly SourceMapEntry[]): Piece[] {
  const pieces: Piece[] = [];
  for (let i = firstEntryEndingAfter(map, span.start); i < map.length; i++) {
    const entry = map[i] as SourceMapEntry;
    if (entry.renderedStart >= span.end) break;
    if (entry.renderedLength === 0 || entry.sourceLength === 0) continue;
    if ((entry.kind ?? 'text') === 'text' && entry.renderedLength === entry.sourceLength) {
      const from = Math.max(span.start, entry.renderedStart);
      const to = Math.min(span.end, entry.renderedStart + entry.renderedLength);
      if (to > from)
        pieces.push({
          start: entry.sourceStart + (from - entry.renderedStart),
          end: entry.sourceStart + (to - entry.renderedStart),
          span: index,
        });
    } else {
      pieces.push({
        start: entry.sourceStart,
        end: entry.sourceStart + entry.sourceLength,
        span: index,
        ...(entry.variable !== undefined && { variable: entry.variable }),
      });
    }
  }
  return pieces;
}

function firstEntryEndingAfter(map: readonly SourceMapEntry[], offset: number): number {
  let lo = 0;
  let hi = map.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const entry = map[mid] as SourceMapEntry;
    if (entry.renderedStart + entry.renderedLength <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mergeRanges(pieces: readonly Piece[]): { start: number; end: number }[] {
  const sorted = [...pieces].sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const piece of sorted) {
    const last = merged[merged.length - 1];
    if (last && piece.start <= last.end) last.end = Math.max(last.end, piece.end);
    else merged.push({ start: piece.start, end: piece.end });
  }
  return merged;
}

/** Scores per group: the sum of its spans' scores (undefined where none of them has a score). */
export function groupScores(
  layout: HeatLayout,
  spanScores: readonly (number | undefined)[],
): (number | undefined)[] {
  const scores: (number | undefined)[] = layout.groups.map(() => undefined);
  spanScores.forEach((score, span) => {
    const group = layout.groupOfSpan[span];
    if (score === undefined || group === undefined || group < 0) return;
    scores[group] = (scores[group] ?? 0) + score;
  });
  return scores;
}

/** Per variable, the sum of the scores of the groups that contain one of its outputs. */
export function variableTotals(
  layout: HeatLayout,
  scores: readonly (number | undefined)[],
): Map<string, number> {
  const totals = new Map<string, number>();
  layout.groups.forEach((group, i) => {
    const score = scores[i];
    if (score === undefined) return;
    for (const variable of group.variables) totals.set(variable, (totals.get(variable) ?? 0) + score);
  });
  return totals;
}
