// Splits a prompt's text into the spans an explanation scores: tokens, words, sentences,
// paragraphs or custom-delimited parts, as Aleph Alpha's `prompt_granularity` does. Offsets are
// UTF-16 code units. A span never starts or ends with whitespace; a custom delimiter gets no span.
import type { Granularity } from './backend';

export interface TextSpan {
  start: number;
  length: number;
  text: string;
}

export type ConcreteGranularity = Exclude<Granularity, { type: 'auto' }>;

/** Aleph Alpha picks the granularity that gives about this many segments. */
export const AUTO_TARGET_SEGMENTS = 30;

export function segment(
  text: string,
  granularity: Granularity,
  tokens?: readonly { text: string }[],
): TextSpan[] {
  const concrete = granularity.type === 'auto' ? autoGranularity(text, tokens?.length) : granularity;
  switch (concrete.type) {
    case 'token':
      return tokens ? segmentByTokens(text, tokens) : segmentWords(text);
    case 'word':
      return segmentWords(text);
    case 'sentence':
      return segmentSentences(text);
    case 'paragraph':
      return segmentParagraphs(text);
    case 'custom':
      return segmentByDelimiter(text, concrete.delimiter);
  }
}

/** Runs of non-whitespace; text in Chinese or Japanese (no spaces) is split into words by Intl.Segmenter. */
export function segmentWords(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  for (const match of text.matchAll(/\S+/gu)) {
    const start = match.index ?? 0;
    if (CJK.test(match[0]) && wordSegmenter) spans.push(...cjkWords(match[0], start));
    else spans.push({ start, length: match[0].length, text: match[0] });
  }
  return spans;
}

/** Sentences by Unicode rules (Intl.Segmenter): after . ! ? 。 and at line breaks. */
export function segmentSentences(text: string): TextSpan[] {
  if (!sentenceSegmenter) return trimmedPieces(text, text.split(/(?<=[.!?。！？])\s+|\n/u));
  const pieces: TextSpan[] = [];
  for (const part of sentenceSegmenter.segment(text))
    pushTrimmed(pieces, text, part.index, part.index + part.segment.length);
  return pieces;
}

/** Paragraphs: parts separated by blank lines. */
export function segmentParagraphs(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  let start = 0;
  for (const match of text.matchAll(/\r?\n[ \t]*\r?\n/gu)) {
    const index = match.index ?? 0;
    pushTrimmed(spans, text, start, index);
    start = index + match[0].length;
  }
  pushTrimmed(spans, text, start, text.length);
  return spans;
}

/** Parts between occurrences of `delimiter`; an empty delimiter leaves the text whole. */
export function segmentByDelimiter(text: string, delimiter: string): TextSpan[] {
  const spans: TextSpan[] = [];
  if (delimiter === '') {
    pushTrimmed(spans, text, 0, text.length);
    return spans;
  }
  let start = 0;
  for (let at = text.indexOf(delimiter); at !== -1; at = text.indexOf(delimiter, start)) {
    pushTrimmed(spans, text, start, at);
    start = at + delimiter.length;
  }
  pushTrimmed(spans, text, start, text.length);
  return spans;
}

/**
 * One span per token, in order, located in `text`. Tolerates SentencePiece (`▁`) and byte-level
 * BPE (`Ġ`, `Ċ`) markers, `<0x0A>` byte pieces, a leading space the text lacks, and pieces that do
 * not occur at all (special tokens, partial UTF-8): those get an empty span, except that the last
 * unmatched piece before a gap takes the gap (the bytes of an emoji become that character).
 */
export function segmentByTokens(text: string, tokens: readonly { text: string }[]): TextSpan[] {
  const spans: TextSpan[] = [];
  let cursor = 0;
  let pendingUnmatched = -1;
  for (const token of tokens) {
    const found = locate(text, token.text, cursor, pendingUnmatched !== -1);
    if (!found) {
      // An empty piece (a special token) never takes text; a real piece may take the next gap.
      if (token.text !== '') pendingUnmatched = spans.length;
      spans.push({ start: cursor, length: 0, text: '' });
      continue;
    }
    if (found.start > cursor && pendingUnmatched !== -1) {
      spans[pendingUnmatched] = {
        start: cursor,
        length: found.start - cursor,
        text: text.slice(cursor, found.start),
      };
    }
    pendingUnmatched = -1;
    spans.push({
      start: found.start,
      length: found.length,
      text: text.slice(found.start, found.start + found.length),
    });
    cursor = found.start + found.length;
  }
  if (pendingUnmatched !== -1 && cursor < text.length) {
    spans[pendingUnmatched] = { start: cursor, length: text.length - cursor, text: text.slice(cursor) };
  }
  return spans;
}

/**
 * The granularity whose segment count is closest to 30 among token, word, sentence and paragraph
 * (token only when `tokenCount` is known); ties go to the finer one.
 */
export function autoGranularity(text: string, tokenCount?: number): ConcreteGranularity {
  const candidates: [ConcreteGranularity, number][] = [];
  if (tokenCount !== undefined) candidates.push([{ type: 'token' }, tokenCount]);
  candidates.push(
    [{ type: 'word' }, segmentWords(text).length],
    [{ type: 'sentence' }, segmentSentences(text).length],
    [{ type: 'paragraph' }, segmentParagraphs(text).length],
  );
  let best = candidates[0]?.[0] ?? { type: 'word' };
  let bestDistance = Infinity;
  for (const [granularity, count] of candidates) {
    const distance = Math.abs(count - AUTO_TARGET_SEGMENTS);
    if (distance < bestDistance) {
      best = granularity;
      bestDistance = distance;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const wordSegmenter =
  typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'word' }) : undefined;
const sentenceSegmenter =
  typeof Intl.Segmenter === 'function'
    ? new Intl.Segmenter(undefined, { granularity: 'sentence' })
    : undefined;

/** Words of a space-free CJK run; punctuation joins the word before it, as it would in spaced text. */
function cjkWords(chunk: string, offset: number): TextSpan[] {
  const spans: TextSpan[] = [];
  for (const part of wordSegmenter?.segment(chunk) ?? []) {
    const last = spans[spans.length - 1];
    if (!part.isWordLike && last) {
      last.length += part.segment.length;
      last.text += part.segment;
    } else {
      spans.push({ start: offset + part.index, length: part.segment.length, text: part.segment });
    }
  }
  return spans;
}

function pushTrimmed(spans: TextSpan[], text: string, start: number, end: number): void {
  let from = start;
  let to = end;
  while (from < to && /\s/u.test(text[from] ?? '')) from++;
  while (to > from && /\s/u.test(text[to - 1] ?? '')) to--;
  if (to > from) spans.push({ start: from, length: to - from, text: text.slice(from, to) });
}

function trimmedPieces(text: string, pieces: string[]): TextSpan[] {
  const spans: TextSpan[] = [];
  let cursor = 0;
  for (const piece of pieces) {
    const at = text.indexOf(piece, cursor);
    if (at === -1) continue;
    pushTrimmed(spans, text, at, at + piece.length);
    cursor = at + piece.length;
  }
  return spans;
}

/**
 * Where a token's piece occurs at `cursor`, or a little after it: past whitespace the tokenizer
 * normalised away, or past any text when earlier pieces did not match (`afterUnmatched`).
 */
function locate(
  text: string,
  piece: string,
  cursor: number,
  afterUnmatched: boolean,
): { start: number; length: number } | undefined {
  if (piece === '') return undefined;
  const candidates = [...new Set([piece, normalizePiece(piece)])];
  for (const candidate of candidates) {
    if (candidate === '') continue;
    if (text.startsWith(candidate, cursor)) return { start: cursor, length: candidate.length };
    // A leading space the text does not have (SentencePiece's prefix space, or at a line start).
    if (candidate.startsWith(' ') && candidate.length > 1 && text.startsWith(candidate.slice(1), cursor))
      return { start: cursor, length: candidate.length - 1 };
  }
  for (const candidate of candidates) {
    for (const form of [candidate, candidate.trimStart()]) {
      if (form === '') continue;
      const at = text.indexOf(form, cursor);
      if (at === -1 || at - cursor > LOOKAHEAD) continue;
      if (afterUnmatched || /^\s*$/u.test(text.slice(cursor, at))) return { start: at, length: form.length };
    }
  }
  return undefined;
}

/** How far ahead a piece is looked for (an emoji's bytes span at most 2 UTF-16 units; be generous). */
const LOOKAHEAD = 16;

function normalizePiece(piece: string): string {
  return piece
    .replace(/<0x([0-9A-Fa-f]{2})>/g, (whole, hex: string) => {
      const code = parseInt(hex, 16);
      return code < 0x80 ? String.fromCharCode(code) : whole;
    })
    .replace(/▁/g, ' ')
    .replace(/Ġ/g, ' ')
    .replace(/Ċ/g, '\n')
    .replace(/ĉ/g, '\t');
}
