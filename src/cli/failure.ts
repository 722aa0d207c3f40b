// How a failed command ends: its exit code, the kind a script can branch on, and one line for a person.
import { PromptLensError } from '../core/errors';
import { EXIT_BACKEND, EXIT_TEMPLATE, EXIT_USAGE, TemplateError, UsageError } from './io';

export interface CliFailure {
  code: number;
  /** `usage`, `template`, a core error kind (`timeout`, `authentication`, ...) or `internal`. */
  kind: string;
  message: string;
}

export interface FailureContext {
  command: string;
  /** The token this run would use, scrubbed from anything printed. */
  secret?: string | undefined;
  /** The `--timeout` in effect, named in the advice of a timeout. */
  timeoutSeconds: number;
}

export function cliFailure(error: unknown, context: FailureContext): CliFailure {
  const failure = classify(error, context);
  return { ...failure, message: oneLine(failure.message, context.secret) };
}

function classify(error: unknown, context: FailureContext): CliFailure {
  if (error instanceof UsageError)
    return {
      code: EXIT_USAGE,
      kind: 'usage',
      message: `${error.message} (see promptlens ${context.command} --help)`,
    };
  if (error instanceof TemplateError)
    return { code: EXIT_TEMPLATE, kind: 'template', message: error.message };
  if (error instanceof PromptLensError) {
    const message =
      error.kind === 'timeout' ? withCliTimeoutAdvice(error.message, context.timeoutSeconds) : error.message;
    return { code: EXIT_BACKEND, kind: error.kind, message };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { code: EXIT_BACKEND, kind: 'internal', message: `unexpected failure: ${detail}` };
}

/**
 * The core's timeout messages advise the editor's setting; on the command line the knob is
 * `--timeout`. A sentence that points at the timeout setting is replaced by that advice; any other
 * advice (the proxy, `--deadline`) stays as it is.
 */
export function withCliTimeoutAdvice(message: string, seconds: number): string {
  // A message naming its knob for both ("promptLens.http.timeoutSeconds, CLI --timeout") keeps the flag.
  const named = message.replace(/promptLens\.http\.\w+, CLI (--[a-z-]+)/g, '$1');
  if (named !== message) return named;
  const advice = `Try again, or give a longer --timeout SECONDS (now ${seconds}).`;
  const sentences = message.match(/[^.!?]+[.!?]*\s*/g) ?? [message];
  const pointsAtSetting = (sentence: string): boolean =>
    /timeout/i.test(sentence) && /setting/i.test(sentence);
  if (!sentences.some(pointsAtSetting)) return message;
  return sentences
    .map((sentence) => (pointsAtSetting(sentence) ? `${advice} ` : sentence))
    .join('')
    .trim();
}

function oneLine(message: string, secret: string | undefined): string {
  const scrubbed = secret ? message.split(secret).join('[redacted]') : message;
  return scrubbed.replace(/\s+/g, ' ').trim();
}

/** The `{"error": {...}}` object printed on stdout with `--json`. */
export function failureJson(failure: CliFailure): string {
  return JSON.stringify({ error: { kind: failure.kind, message: failure.message } });
}
