// Per-target-token scores from the per-token log-probabilities of the occlusion calls.
//
// The alignment rule. The reference tokenization of the target is the one seen after the FULL prompt.
// Deleting a segment can change how the target is tokenized (the prompt's last characters may merge
// with the target's first token, or stop merging). Each token of a scoring call is placed on the
// target by its UTF-8 bytes, counted back from the end of the text (prompt + target), so a first
// token that also covers the prompt's tail simply starts before the target. A token's log-probability
// then goes to the reference token that contains the token's LAST byte (the token "completes" there);
// a token ending before the target starts goes to the first reference token. When both tokenizations
// agree this is token-for-token; in every case the per-token values of a call add up to its total,
// so per-token scores add up to the `complete` score.
import type { EvaluateResult } from '../backend';

export interface TargetToken {
  /** The reference token's part of the target (or its own text where that part is empty). */
  text: string;
  /** Byte offsets in the target's UTF-8; `start` is negative for a token that covers the prompt's tail. */
  startByte: number;
  endByte: number;
}

const encoder = new TextEncoder();

/** UTF-8 length of a token's text; a U+FFFD stands for one byte (a byte-fallback piece). */
function tokenBytes(text: string): number {
  let n = 0;
  for (const ch of text) n += ch === '\uFFFD' ? 1 : encoder.encode(ch).length;
  return n;
}

/** Where each token lies on the target, in bytes, counted back from the end. */
export function placeTokens(
  tokens: EvaluateResult['tokens'],
  target: string,
): { startByte: number; endByte: number }[] {
  let end = encoder.encode(target).length;
  const placed = new Array<{ startByte: number; endByte: number }>(tokens.length);
  for (let k = tokens.length - 1; k >= 0; k--) {
    const size = tokenBytes(tokens[k]?.text ?? '');
    placed[k] = { startByte: end - size, endByte: end };
    end -= size;
  }
  return placed;
}

export function referenceTokens(tokens: EvaluateResult['tokens'], target: string): TargetToken[] {
  const offsets = utf16AtByte(target);
  return placeTokens(tokens, target).map((place, k) => {
    const from = offsets(Math.max(0, place.startByte));
    const to = offsets(Math.max(0, place.endByte));
    const part = target.slice(from, to);
    return { text: part !== '' ? part : (tokens[k]?.text ?? ''), ...place };
  });
}

/** log P of each reference token's share of the target after one call's tokens (see the rule above). */
export function alignedLogProbs(
  reference: readonly TargetToken[],
  tokens: EvaluateResult['tokens'],
  target: string,
): number[] {
  const sums = reference.map(() => 0);
  if (reference.length === 0) return sums;
  placeTokens(tokens, target).forEach((place, k) => {
    const last = place.endByte - 1;
    let at = reference.findIndex((ref) => last >= ref.startByte && last < ref.endByte);
    if (at === -1) at = last < (reference[0]?.startByte ?? 0) ? 0 : reference.length - 1;
    sums[at] = (sums[at] ?? 0) + (tokens[k]?.logprob ?? 0);
  });
  return sums;
}

/** UTF-16 index of the first character that ends after `byte` (characters completed before it are skipped). */
function utf16AtByte(text: string): (byte: number) => number {
  const ends: { byteEnd: number; unitEnd: number }[] = [];
  let bytes = 0;
  let units = 0;
  for (const ch of text) {
    bytes += encoder.encode(ch).length;
    units += ch.length;
    ends.push({ byteEnd: bytes, unitEnd: units });
  }
  return (byte) => {
    let units = 0;
    for (const end of ends) {
      if (end.byteEnd > byte) break;
      units = end.unitEnd;
    }
    return units;
  };
}
