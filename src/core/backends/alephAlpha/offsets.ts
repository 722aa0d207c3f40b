/**
 * Aleph Alpha counts text offsets in Unicode code points (Python string indices); JavaScript strings
 * count UTF-16 code units. These convert spans between the two for one text.
 */
export class OffsetMap {
  /** UTF-16 offset of every code-point offset, plus the end. */
  private readonly utf16Of: number[] = [];
  /** Code-point offset of every UTF-16 offset, plus the end (the low half of a pair maps past its character). */
  private readonly codePointOf: number[] = [];

  constructor(readonly text: string) {
    let codePoint = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const pairStart =
        code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1));
      this.utf16Of.push(i);
      this.codePointOf.push(codePoint);
      if (pairStart) {
        this.codePointOf.push(codePoint + 1);
        i++;
      }
      codePoint++;
    }
    this.utf16Of.push(text.length);
    this.codePointOf.push(codePoint);
  }

  get codePointLength(): number {
    return this.utf16Of.length - 1;
  }

  /** UTF-16 offset of a code-point offset (clamped to the text). */
  toUtf16(codePoint: number): number {
    return this.utf16Of[clamp(codePoint, 0, this.utf16Of.length - 1)] ?? this.text.length;
  }

  /** Code-point offset of a UTF-16 offset (clamped; an offset inside a surrogate pair counts the whole character). */
  toCodePoint(utf16: number): number {
    return this.codePointOf[clamp(utf16, 0, this.codePointOf.length - 1)] ?? this.codePointLength;
  }

  spanToUtf16(start: number, length: number): { start: number; length: number } {
    const from = this.toUtf16(start);
    return { start: from, length: this.toUtf16(start + length) - from };
  }

  spanToCodePoints(start: number, length: number): { start: number; length: number } {
    const from = this.toCodePoint(start);
    return { start: from, length: this.toCodePoint(start + length) - from };
  }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
