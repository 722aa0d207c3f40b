// liquidjs errors (parse, tokenization, render, undefined variable) as diagnostics with exact ranges.
import { messageOf } from '../errors';
import { LiquidError } from 'liquidjs';
import { diagnostic, type LineIndex } from './positions';
import type { Recorder } from './recorder';
import type { DiagnosticCode, PromptDiagnostic } from './types';

interface ErrorToken {
  begin: number;
  end: number;
  input?: string;
  file?: string;
}

export function liquidErrorDiagnostics(
  error: unknown,
  phase: 'parse' | 'render',
  lines: LineIndex,
  recorder: Recorder,
): PromptDiagnostic[] {
  const errors = isLiquidErrors(error) ? error.errors : [error];
  return errors.map((e) => one(e, phase, lines, recorder));
}

function one(
  error: unknown,
  phase: 'parse' | 'render',
  lines: LineIndex,
  recorder: Recorder,
): PromptDiagnostic {
  const code: DiagnosticCode = phase === 'parse' ? 'liquid-syntax' : 'liquid-render';
  const message = cleanMessage(error);
  const token = LiquidError.is(error)
    ? ((error as unknown as { token?: ErrorToken }).token ?? undefined)
    : undefined;
  const bodyEnd = lines.text.length;
  if (!token) return diagnostic(lines, recorder.bodyStart, bodyEnd, 'error', code, message);
  if (recorder.isMain(token)) {
    const range = recorder.sourceRange(token);
    const finalCode = isUndefinedVariable(error) ? 'undefined-variable' : code;
    return diagnostic(lines, range.start, range.start + range.length, 'error', finalCode, message);
  }
  // Inside an included file: report at the include tag the error came through.
  const origin = recorder.errorOrigins.get(error as object);
  const range = origin ? recorder.sourceRange(origin.token) : { start: recorder.bodyStart, length: 0 };
  return diagnostic(
    lines,
    range.start,
    range.start + range.length,
    'error',
    code,
    `${message} (in ${token.file ?? recorder.errorSources.get(error as object)?.token.file ?? 'an included file'})`,
  );
}

function cleanMessage(error: unknown): string {
  const raw = messageOf(error);
  const message = raw
    .replace(/, (?:file:\S+, )?line:\d+, col:\d+$/, '')
    .replace(/^undefined variable: /, 'Undefined variable: ');
  if (/^undefined filter: /.test(message)) return message.replace(/^undefined filter: /, 'Unknown filter: ');
  return message;
}

function isUndefinedVariable(error: unknown): boolean {
  return error instanceof Error && error.name === 'UndefinedVariableError';
}

function isLiquidErrors(error: unknown): error is { errors: unknown[] } {
  return (
    error instanceof Error &&
    error.name === 'LiquidErrors' &&
    Array.isArray((error as { errors?: unknown }).errors)
  );
}
