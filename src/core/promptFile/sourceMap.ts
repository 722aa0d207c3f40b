// Queries on a source map: which source produced a rendered character, and where a source span went.
import type { SourceMapEntry } from './types';

export interface MappedSpan {
  start: number;
  length: number;
  entry: SourceMapEntry;
}

/**
 * The source of the rendered character at `offset`: one character for literal text, the whole
 * `{{ }}` or tag otherwise. Undefined between entries (there are none: every character is mapped).
 */
export function renderedToSource(map: readonly SourceMapEntry[], offset: number): MappedSpan | undefined {
  let lo = 0;
  let hi = map.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const entry = map[mid];
    if (!entry) break;
    if (offset < entry.renderedStart) hi = mid - 1;
    else if (offset >= entry.renderedStart + entry.renderedLength) lo = mid + 1;
    else if (entry.kind === 'text')
      return { start: entry.sourceStart + (offset - entry.renderedStart), length: 1, entry };
    else return { start: entry.sourceStart, length: entry.sourceLength, entry };
  }
  return undefined;
}

/**
 * Every rendered span that a source span produced, in rendered order: a literal inside a loop
 * appears once per iteration; a `{{ }}` or tag touching the span yields its whole output.
 */
export function sourceToRendered(
  map: readonly SourceMapEntry[],
  sourceStart: number,
  sourceLength = 1,
): MappedSpan[] {
  const sourceEnd = sourceStart + Math.max(sourceLength, 1);
  const spans: MappedSpan[] = [];
  for (const entry of map) {
    const entryEnd = entry.sourceStart + entry.sourceLength;
    if (entry.sourceStart >= sourceEnd || entryEnd <= sourceStart) continue;
    if (entry.kind === 'text') {
      const from = Math.max(sourceStart, entry.sourceStart);
      const to = Math.min(sourceEnd, entryEnd);
      spans.push({ start: entry.renderedStart + (from - entry.sourceStart), length: to - from, entry });
    } else {
      spans.push({ start: entry.renderedStart, length: entry.renderedLength, entry });
    }
  }
  return spans;
}
