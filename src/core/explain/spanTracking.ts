// Keeps scored spans on the text they scored while the document is edited: pure offset arithmetic
// on arrays sorted by start, so thousands of spans follow an edit in well under a frame.

/** One edit as the editor reports it: `removed` characters at `offset` replaced by `inserted` characters. */
export interface TextChange {
  offset: number;
  removed: number;
  inserted: number;
}

/** Spans sorted by start; span i covers [starts[i], ends[i]) and belongs to group groups[i]. */
export interface SpanSet {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  /** A group is scored as one (a template tag and the literals summed with it); edited, it goes whole. */
  readonly groups: readonly number[];
  /** Some spans overlap: updates then scan every span (edits keep this true or false). */
  readonly overlapping: boolean;
}

export interface TrackedSpan {
  start: number;
  end: number;
  group: number;
}

export interface SpanUpdate {
  spans: SpanSet;
  /** Groups removed because an edit touched the text of one of their spans, ascending. */
  droppedGroups: number[];
}

/** Builds a span set; empty spans are left out. */
export function createSpanSet(spans: readonly TrackedSpan[]): SpanSet {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const overlapping = sorted.some((s, i) => i > 0 && s.start < (sorted[i - 1] as TrackedSpan).end);
  return {
    starts: sorted.map((s) => s.start),
    ends: sorted.map((s) => s.end),
    groups: sorted.map((s) => s.group),
    overlapping,
  };
}

/**
 * Applies edits in the order given, each relative to the text after the previous one (as VS Code
 * applies a change event's `contentChanges`). Spans after an edit shift by its size; a span an edit
 * overlaps or falls inside is dropped with its whole group. An insertion exactly at a span's start
 * pushes the span; one exactly at its end leaves it as it is.
 */
export function applyTextChanges(set: SpanSet, changes: readonly TextChange[]): SpanUpdate {
  let starts = set.starts.slice();
  let ends = set.ends.slice();
  let groups = set.groups.slice();
  const dropped = new Set<number>();
  for (const change of changes) {
    const editEnd = change.offset + change.removed;
    const delta = change.inserted - change.removed;
    // Spans ending at or before the edit keep their place: start at the first one that may move.
    const first = set.overlapping ? 0 : firstEndingAfter(ends, change.offset);
    for (let i = first; i < starts.length; i++) {
      const start = starts[i] as number;
      if (start >= editEnd) {
        starts[i] = start + delta;
        ends[i] = (ends[i] as number) + delta;
      } else if ((ends[i] as number) > change.offset) {
        dropped.add(groups[i] as number);
      }
    }
  }
  if (dropped.size > 0) {
    const keptStarts: number[] = [];
    const keptEnds: number[] = [];
    const keptGroups: number[] = [];
    for (let i = 0; i < starts.length; i++) {
      const group = groups[i] as number;
      if (dropped.has(group)) continue;
      keptStarts.push(starts[i] as number);
      keptEnds.push(ends[i] as number);
      keptGroups.push(group);
    }
    starts = keptStarts;
    ends = keptEnds;
    groups = keptGroups;
  }
  return {
    spans: { starts, ends, groups, overlapping: set.overlapping },
    droppedGroups: [...dropped].sort((a, b) => a - b),
  };
}

/** First index whose span ends after `offset` (ends are sorted when spans do not overlap). */
function firstEndingAfter(ends: readonly number[], offset: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ends[mid] as number) <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of a span containing `offset` (start inclusive, end exclusive), or -1; the latest-starting one if several do. */
export function spanAt(set: SpanSet, offset: number): number {
  let lo = 0;
  let hi = set.starts.length - 1;
  let found = -1;
  // The last span starting at or before the offset.
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((set.starts[mid] as number) <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = found; i >= 0; i--) {
    if ((set.ends[i] as number) > offset) return i;
    if (!set.overlapping) break;
  }
  return -1;
}

/**
 * Whether any change (offsets as in `applyTextChanges`, each relative to the text after the ones
 * before it) starts before the end of the last span: text the scores depended on may have changed.
 * Text appended after the scored prompt (a completion, say) leaves the scores as true as they were.
 */
export function changesReachSpans(set: SpanSet, changes: readonly TextChange[]): boolean {
  let end = 0;
  for (const e of set.ends) end = Math.max(end, e);
  for (const change of changes) {
    if (change.offset < end) return true;
  }
  return false;
}
