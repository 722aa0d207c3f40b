// Splits the raw rendered output at placeholder markers into prompt items, and moves the source map
// and the ranges from raw-output offsets to offsets in the joined text (markers removed).
import type { PromptItem } from '../backend';
import { findMarkers, type PlaceholderItem, type Placeholders } from './placeholders';
import type { RawRange } from './recorder';
import type { PromptRange, SourceMapEntry } from './types';

export interface SplitOutput {
  text: string;
  items: PromptItem[];
  itemStarts: number[];
  map: SourceMapEntry[];
  ranges: PromptRange[];
  /** Each non-text item with the raw-output offset of its marker (to find its source). */
  markers: { item: PlaceholderItem; rawStart: number }[];
}

export function splitOutput(
  raw: string,
  entries: SourceMapEntry[],
  rawRanges: RawRange[],
  placeholders: Placeholders,
): SplitOutput {
  const found = findMarkers(raw, placeholders);
  const items: PromptItem[] = [];
  const itemStarts: number[] = [];
  let text = '';
  let cursor = 0;
  const pushText = (piece: string): void => {
    if (piece === '') return;
    itemStarts.push(text.length);
    items.push({ type: 'text', text: piece });
    text += piece;
  };
  for (const marker of found) {
    pushText(raw.slice(cursor, marker.start));
    itemStarts.push(text.length);
    items.push(marker.item);
    cursor = marker.end;
  }
  pushText(raw.slice(cursor));
  const removed = found.map((m) => ({ start: m.start, end: m.end }));
  return {
    text,
    items,
    itemStarts,
    map: found.length ? remapEntries(entries, removed) : entries,
    ranges: rawRanges.map((r) => ({
      name: r.name,
      start: shift(r.start, removed),
      length: shift(r.end, removed) - shift(r.start, removed),
      sourceStart: r.sourceStart,
      sourceLength: r.sourceLength,
    })),
    markers: found.map((m) => ({ item: m.item, rawStart: m.start })),
  };
}

/** The offset in the joined text of a raw offset (one inside a marker moves to the marker's start). */
function shift(offset: number, removed: { start: number; end: number }[]): number {
  let delta = 0;
  for (const r of removed) {
    if (r.start >= offset) break;
    delta += Math.min(offset, r.end) - r.start;
  }
  return offset - delta;
}

/** Cuts the removed intervals out of the entries (both sorted by position). */
function remapEntries(
  entries: SourceMapEntry[],
  removed: { start: number; end: number }[],
): SourceMapEntry[] {
  const out: SourceMapEntry[] = [];
  let r = 0;
  let delta = 0;
  for (const entry of entries) {
    let start = entry.renderedStart;
    const end = entry.renderedStart + entry.renderedLength;
    while (start < end) {
      while (r < removed.length && (removed[r]?.end ?? 0) <= start) {
        const gone = removed[r];
        if (gone) delta += gone.end - gone.start;
        r++;
      }
      const next = removed[r];
      const pieceEnd = next && next.start < end ? Math.max(start, next.start) : end;
      if (pieceEnd > start) {
        const piece: SourceMapEntry = {
          ...entry,
          renderedStart: start - delta,
          renderedLength: pieceEnd - start,
        };
        if (entry.kind === 'text') {
          piece.sourceStart = entry.sourceStart + (start - entry.renderedStart);
          piece.sourceLength = pieceEnd - start;
        }
        out.push(piece);
      }
      if (!next || next.start >= end) break;
      start = Math.min(end, next.end);
    }
  }
  return out;
}
