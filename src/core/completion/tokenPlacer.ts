import type { TokenLogProb } from '../backend';

/** A stretch of generated text in a document: one token, or text the backend gave no token for. */
export interface GeneratedPiece {
  /** Document offsets, kept current through edits. */
  start: number;
  end: number;
  token?: TokenLogProb;
}

interface Placed {
  start: number;
  end: number;
  token: TokenLogProb;
}

/**
 * Where each streamed token sits in the completion text, so inserted stretches of it can be turned
 * into document pieces. A token whose text is not where expected (a partial UTF-8 byte, say) is
 * left out rather than misplaced.
 */
export class TokenPlacer {
  private text = '';
  private readonly placed: Placed[] = [];

  constructor(private readonly normalise: (text: string) => string = (t) => t) {}

  get completionText(): string {
    return this.text;
  }

  get tokens(): TokenLogProb[] {
    return this.placed.map((p) => p.token);
  }

  add(deltaText: string, tokens: readonly TokenLogProb[]): void {
    const text = this.normalise(deltaText);
    let at = 0;
    for (const token of tokens) {
      const piece = this.normalise(token.text);
      if (piece && text.startsWith(piece, at)) {
        this.placed.push({ start: this.text.length + at, end: this.text.length + at + piece.length, token });
        at += piece.length;
      }
    }
    this.text += text;
  }

  /** Pieces for the completion text [from, from + length) once it is at `documentOffset`. */
  pieces(from: number, length: number, documentOffset: number): GeneratedPiece[] {
    const to = from + length;
    const shift = documentOffset - from;
    const pieces: GeneratedPiece[] = [];
    let cursor = from;
    for (const p of this.placed) {
      if (p.start < from || p.end > to) continue;
      if (p.start > cursor) pieces.push({ start: cursor + shift, end: p.start + shift });
      pieces.push({ start: p.start + shift, end: p.end + shift, token: p.token });
      cursor = p.end;
    }
    if (cursor < to) pieces.push({ start: cursor + shift, end: to + shift });
    return pieces;
  }
}
