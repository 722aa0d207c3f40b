// Offsets <-> 0-based line/column (UTF-16), and diagnostics built from offsets.
import type { DiagnosticCode, PromptDiagnostic } from './types';

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: clamped - (this.starts[lo] ?? 0) };
  }

  /** Offset of a 0-based line and column (clamped to the text). */
  offset(line: number, column: number): number {
    const start = this.starts[Math.max(0, Math.min(line, this.starts.length - 1))] ?? 0;
    return Math.min(start + Math.max(0, column), this.text.length);
  }
}

export function diagnostic(
  lines: LineIndex,
  start: number,
  end: number,
  severity: PromptDiagnostic['severity'],
  code: DiagnosticCode,
  message: string,
): PromptDiagnostic {
  const from = lines.position(start);
  const to = lines.position(Math.max(start, end));
  return {
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
    severity,
    message,
    start: Math.max(0, Math.min(start, lines.text.length)),
    end: Math.max(0, Math.min(Math.max(start, end), lines.text.length)),
    code,
  };
}
