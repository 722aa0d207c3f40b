// Where each token of a prompt lies in the text the user edits: the prompt's own text, or a `.prompt`
// file's template source through its source map. No `vscode` here, so the benchmark runs it in Node.
import type { Token } from '../backend';
import type { SourceMapEntry } from '../promptFile/index';
import { segmentByTokens } from '../segment';

/** One shown token span: `[start, start + length)` in the edited text, and the tokens it stands for. */
export interface TokenSpan {
  start: number;
  length: number;
  tokens: Token[];
  /** The span is a whole `{{ }}` or tag whose output these tokens came from. */
  whole: boolean;
}

/** Spans of `tokens` in `text` (offset by `offset`); tokens that match no text (special tokens) are left out. */
export function tokenSpansInText(text: string, tokens: readonly Token[], offset = 0): TokenSpan[] {
  const located = segmentByTokens(text, tokens);
  const spans: TokenSpan[] = [];
  located.forEach((span, index) => {
    const token = tokens[index];
    if (token && span.length > 0)
      spans.push({ start: offset + span.start, length: span.length, tokens: [token], whole: false });
  });
  return spans;
}

/**
 * Spans of the tokens of a rendered template in its source. Literal text maps character by
 * character; a token inside the output of a `{{ }}` or tag maps to the whole tag, shown once for all
 * its tokens. A token that straddles literal text and a tag next to it covers both. Sorted by source offset.
 */
export function tokenSpansInTemplate(
  renderedText: string,
  tokens: readonly Token[],
  map: readonly SourceMapEntry[],
): TokenSpan[] {
  const located = segmentByTokens(renderedText, tokens);
  // Keyed by source range: a tag's several tokens, or a literal repeated by a loop, are shown once.
  const bySource = new Map<string, TokenSpan>();
  let lastWhole: TokenSpan | undefined;
  let entryIndex = 0;
  located.forEach((span, index) => {
    const token = tokens[index];
    if (!token || span.length === 0) return;
    const end = span.start + span.length;
    // Tokens come in rendered order, so the first entry that can overlap only moves forward.
    while (entryIndex < map.length && entryEnd(map[entryIndex]) <= span.start) entryIndex++;
    // The token's source pieces, in rendered order; pieces that touch in the source join.
    const pieces: { from: number; to: number; whole: boolean }[] = [];
    for (let i = entryIndex; i < map.length; i++) {
      const entry = map[i];
      if (!entry || entry.renderedStart >= end) break;
      if (entry.renderedLength === 0) continue;
      const piece =
        entry.kind === 'text'
          ? {
              from: Math.max(span.start, entry.renderedStart) - entry.renderedStart + entry.sourceStart,
              to: Math.min(end, entryEnd(entry)) - entry.renderedStart + entry.sourceStart,
              whole: false,
            }
          : { from: entry.sourceStart, to: entry.sourceStart + entry.sourceLength, whole: true };
      const last = pieces[pieces.length - 1];
      if (last && piece.from === last.to) {
        last.to = piece.to;
        last.whole ||= piece.whole;
      } else {
        pieces.push(piece);
      }
    }
    // Pieces far apart in the source (a token across two loop iterations, or across a tag with no
    // output): the token is shown on its longest piece.
    const main = pieces.reduce<(typeof pieces)[number] | undefined>(
      (best, piece) => (!best || piece.to - piece.from > best.to - best.from ? piece : best),
      undefined,
    );
    if (!main) return;
    const { from, to, whole } = main;
    if (to <= from) return;
    // A tag's output split over several tokens (the first may start in the literal text before it): one span.
    if (whole && lastWhole && from < lastWhole.start + lastWhole.length && to > lastWhole.start) {
      bySource.delete(`${lastWhole.start}:${lastWhole.length}`);
      const start = Math.min(from, lastWhole.start);
      lastWhole.length = Math.max(to, lastWhole.start + lastWhole.length) - start;
      lastWhole.start = start;
      lastWhole.tokens.push(token);
      bySource.set(`${lastWhole.start}:${lastWhole.length}`, lastWhole);
      return;
    }
    const key = `${from}:${to - from}`;
    const seen = bySource.get(key);
    if (seen) seen.tokens.push(token);
    else bySource.set(key, { start: from, length: to - from, tokens: [token], whole });
    lastWhole = whole ? bySource.get(key) : undefined;
  });
  return [...bySource.values()].sort((a, b) => a.start - b.start || b.length - a.length);
}

function entryEnd(entry: SourceMapEntry | undefined): number {
  return entry ? entry.renderedStart + entry.renderedLength : Infinity;
}

/** Index of a span containing `offset` (spans sorted by start; the first found where they overlap), or -1. */
export function spanAt(spans: readonly TokenSpan[], offset: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const span = spans[mid];
    if (!span) break;
    if (offset < span.start) hi = mid - 1;
    else if (offset >= span.start + span.length) lo = mid + 1;
    else return mid;
  }
  return -1;
}
