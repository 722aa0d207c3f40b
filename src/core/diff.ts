// A small word-level diff (longest common subsequence over words and the whitespace between them),
// enough to compare two prompts or two completions side by side.

export interface DiffPart {
  kind: 'equal' | 'insert' | 'delete';
  text: string;
}

/** Words, runs of whitespace and single punctuation marks, in order; joined they give back the text. */
export function diffTokens(text: string): string[] {
  return text.match(/\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
}

/** Above this many cells the LCS table is not built: the differing middle is shown as replaced whole. */
const MAX_CELLS = 4_000_000;

/** The parts turning `before` into `after`; equal parts first where both orders are possible. */
export function diffWords(before: string, after: string): DiffPart[] {
  const a = diffTokens(before);
  const b = diffTokens(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  const middleA = a.slice(prefix, a.length - suffix);
  const middleB = b.slice(prefix, b.length - suffix);
  const parts: DiffPart[] = [];
  push(parts, 'equal', a.slice(0, prefix).join(''));
  for (const part of middleA.length * middleB.length > MAX_CELLS
    ? replaceWhole(middleA, middleB)
    : lcsDiff(middleA, middleB))
    push(parts, part.kind, part.text);
  push(parts, 'equal', a.slice(a.length - suffix).join(''));
  return parts;
}

function replaceWhole(a: string[], b: string[]): DiffPart[] {
  return [
    { kind: 'delete', text: a.join('') },
    { kind: 'insert', text: b.join('') },
  ];
}

function lcsDiff(a: string[], b: string[]): DiffPart[] {
  const width = b.length + 1;
  // lengths[i * width + j] = LCS length of a[i..] and b[j..].
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
    }
  }
  const parts: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      push(parts, 'equal', a[i] ?? '');
      i++;
      j++;
    } else if ((lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0)) {
      push(parts, 'delete', a[i++] ?? '');
    } else {
      push(parts, 'insert', b[j++] ?? '');
    }
  }
  while (i < a.length) push(parts, 'delete', a[i++] ?? '');
  while (j < b.length) push(parts, 'insert', b[j++] ?? '');
  return parts;
}

/** Appends, merging with the previous part of the same kind; empty text is dropped. */
function push(parts: DiffPart[], kind: DiffPart['kind'], text: string): void {
  if (!text) return;
  const last = parts[parts.length - 1];
  if (last && last.kind === kind) last.text += text;
  else parts.push({ kind, text });
}

/** The text on one side of a diff: `before` drops inserts, `after` drops deletes. */
export function diffSide(parts: readonly DiffPart[], side: 'before' | 'after'): string {
  const skip = side === 'before' ? 'insert' : 'delete';
  return parts
    .filter((part) => part.kind !== skip)
    .map((part) => part.text)
    .join('');
}
