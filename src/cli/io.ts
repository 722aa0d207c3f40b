import { PromptLensError } from '../core/errors';
import { readFile } from 'node:fs/promises';

/** Everything a command touches outside itself, so tests can run commands in-process. */
export interface CliIo {
  /** Writes one line to stdout. */
  stdout: (line: string) => void;
  /** Writes one line to stderr. */
  stderr: (line: string) => void;
  /** Writes raw text to stdout (streamed completions). */
  write: (text: string) => void;
  env: Record<string, string | undefined>;
  readFile: (path: string) => Promise<string>;
}

export function processIo(): CliIo {
  return {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    write: (text) => process.stdout.write(text),
    env: process.env,
    readFile: (path) => readFile(path, 'utf8'),
  };
}

/** Wrong flags or input: exit code 2. */
export class UsageError extends PromptLensError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super('usage', message);
  }
}

/** The prompt file has errors (diagnostics of severity error): exit code 1. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** The exit codes, as `--help` and the README list them. */
export const EXIT_OK = 0;
export const EXIT_TEMPLATE = 1;
export const EXIT_USAGE = 2;
export const EXIT_BACKEND = 3;
