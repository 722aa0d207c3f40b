/** How edits of a document move a region of it: pure offset arithmetic, no `vscode`. */

export interface OffsetChange {
  /** Offsets in the document before the change. */
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export type RegionEffect = { kind: 'shift'; by: number } | { kind: 'conflict' };

/**
 * The effect of one event's changes (all in the document's coordinates before the event, as VS Code
 * reports them) on the region [start, end). Changes ending at or before `start` shift it; changes
 * after `end` leave it alone; anything touching the inside is a conflict. An insertion exactly at
 * `end` is a conflict only for a `growing` region (one a stream is still appending to).
 */
export function regionEffect(
  start: number,
  end: number,
  changes: readonly OffsetChange[],
  growing: boolean,
): RegionEffect {
  let by = 0;
  for (const change of changes) {
    const changeEnd = change.rangeOffset + change.rangeLength;
    if (changeEnd <= start) {
      by += change.text.length - change.rangeLength;
    } else if (
      change.rangeOffset > end ||
      (change.rangeOffset === end && (change.rangeLength > 0 || !growing))
    ) {
      continue;
    } else {
      return { kind: 'conflict' };
    }
  }
  return { kind: 'shift', by };
}
