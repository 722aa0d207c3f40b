import { parseArgs } from 'node:util';
import type { Granularity, Postprocessing, TargetGranularity } from '../core/backend';
import { UsageError } from './io';
import { FILE_OPTIONS, type FileFlags } from './templateFiles';

const OPTIONS = {
  prompt: { type: 'string' },
  backend: { type: 'string' },
  url: { type: 'string' },
  model: { type: 'string' },
  'max-tokens': { type: 'string' },
  temperature: { type: 'string' },
  stop: { type: 'string', multiple: true },
  'log-probs': { type: 'string' },
  expected: { type: 'string' },
  target: { type: 'string' },
  granularity: { type: 'string' },
  'target-granularity': { type: 'string' },
  postprocessing: { type: 'string' },
  normalize: { type: 'boolean' },
  'token-env': { type: 'string' },
  timeout: { type: 'string' },
  'connect-timeout': { type: 'string' },
  stream: { type: 'boolean' },
  json: { type: 'boolean' },
  ...FILE_OPTIONS,
  'max-reply-mb': { type: 'string' },
  'max-event-mb': { type: 'string' },
  deadline: { type: 'string' },
} as const;

const TOKEN_FLAGS = new Set(['token', 'api-key', 'apikey', 'key']);

/** The editor's default too (`promptLens.http.timeoutSeconds`). */
export const DEFAULT_TIMEOUT_SECONDS = 305;
/** The editor's default too (`promptLens.http.connectTimeoutSeconds`). */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 15;
/** A day: longer is surely a typo, and timers cannot hold much more than 24.8 days anyway. */
const MAX_TIMEOUT_SECONDS = 86_400;

export interface CliOptions {
  file?: string;
  prompt?: string;
  backend?: string;
  url?: string;
  model?: string;
  maxTokens?: number;
  temperature?: number;
  stop?: string[];
  logProbs?: number;
  expected?: string;
  target?: string;
  granularity?: Granularity;
  targetGranularity?: TargetGranularity;
  postprocessing?: Postprocessing;
  normalize?: boolean;
  tokenEnv: string;
  /** How long the server may stay silent: connecting, before its reply starts, within it. */
  timeoutSeconds: number;
  /** Connecting, and the first byte of a probe, a listing or a stream (default: 15, or --timeout if shorter). */
  connectTimeoutSeconds?: number;
  stream: boolean;
  json: boolean;
  /** --root, --max-image-bytes, --max-include-bytes: what a template may read. */
  files: FileFlags;
  /** Largest reply read, in MB. */
  maxReplyMb?: number;
  /** Largest stream event read, in MB. */
  maxEventMb?: number;
  /** Overall deadline of one attempt of a request, in seconds. */
  deadlineSeconds?: number;
}

/** Parses a command's flags; every problem is a UsageError whose message never repeats a flag's value. */
export function parseCliOptions(argv: string[]): CliOptions {
  rejectUnknownFlags(argv);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's whole message: its second sentence says how to pass a value that starts with a dash.
    throw new UsageError(error instanceof Error ? error.message.replace(/\s+/g, ' ') : 'invalid options');
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1)
    throw new UsageError(`expected at most one prompt file, got ${positionals.length} arguments`);
  if (values.prompt !== undefined && positionals.length === 1)
    throw new UsageError('give either --prompt TEXT or a prompt FILE, not both');
  const options: CliOptions = {
    tokenEnv: values['token-env'] ?? 'PROMPTLENS_TOKEN',
    timeoutSeconds: timeout(values.timeout, '--timeout') ?? DEFAULT_TIMEOUT_SECONDS,
    stream: values.stream ?? false,
    json: values.json ?? false,
    files: {
      root: values.root,
      maxImageBytes: values['max-image-bytes'],
      maxIncludeBytes: values['max-include-bytes'],
    },
  };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.tokenEnv))
    throw new UsageError('--token-env takes the name of an environment variable');
  assign(options, 'file', positionals[0]);
  assign(options, 'prompt', values.prompt);
  assign(options, 'backend', values.backend);
  assign(options, 'url', serverUrl(values.url));
  assign(options, 'model', values.model);
  assign(options, 'maxTokens', integer(values['max-tokens'], '--max-tokens', 0));
  assign(options, 'temperature', number(values.temperature, '--temperature'));
  assign(options, 'stop', values.stop);
  assign(options, 'logProbs', integer(values['log-probs'], '--log-probs', 0));
  assign(options, 'expected', values.expected);
  assign(options, 'target', values.target);
  assign(options, 'granularity', granularity(values.granularity));
  assign(
    options,
    'targetGranularity',
    oneOf(values['target-granularity'], '--target-granularity', ['complete', 'token'] as const),
  );
  assign(
    options,
    'postprocessing',
    oneOf(values.postprocessing, '--postprocessing', ['none', 'absolute', 'square'] as const),
  );
  assign(options, 'normalize', values.normalize);
  assign(options, 'maxReplyMb', positive(values['max-reply-mb'], '--max-reply-mb'));
  assign(options, 'maxEventMb', positive(values['max-event-mb'], '--max-event-mb'));
  assign(options, 'deadlineSeconds', positive(values.deadline, '--deadline'));
  assign(options, 'connectTimeoutSeconds', timeout(values['connect-timeout'], '--connect-timeout'));
  return options;
}

/** Our own check first, so an unknown flag is named without its value, and a token flag gets advice. */
function rejectUnknownFlags(argv: string[]): void {
  for (const arg of argv) {
    if (arg === '--') return;
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=')[0] ?? '';
    if (TOKEN_FLAGS.has(name.toLowerCase())) {
      throw new UsageError(
        'a token is never taken from the command line: put it in the environment variable PROMPTLENS_TOKEN (or name another with --token-env VAR)',
      );
    }
    if (!(name in OPTIONS)) throw new UsageError(`unknown option --${name}`);
  }
}

function assign<K extends keyof CliOptions>(
  options: CliOptions,
  key: K,
  value: CliOptions[K] | undefined,
): void {
  if (value !== undefined) options[key] = value;
}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0)
    throw new UsageError(`${flag} takes a number >= 0`);
  return parsed;
}

function timeout(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS)
    throw new UsageError(`${flag} takes a number of seconds > 0 and <= ${MAX_TIMEOUT_SECONDS}`);
  return seconds;
}

/**
 * An http(s) URL without credentials: the token goes in the environment, never in a URL that
 * shells, logs and process lists show. The value is not repeated (it may hold a secret).
 */
function serverUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError('--url takes an http:// or https:// URL such as http://127.0.0.1:8080');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError('--url takes an http:// or https:// URL such as http://127.0.0.1:8080');
  if (url.username !== '' || url.password !== '')
    throw new UsageError(
      '--url must not contain a user name or password: put the token in PROMPTLENS_TOKEN (or name another variable with --token-env VAR)',
    );
  return value;
}

function positive(value: string | undefined, flag: string): number | undefined {
  const parsed = number(value, flag);
  if (parsed !== undefined && parsed <= 0) throw new UsageError(`${flag} takes a number > 0`);
  return parsed;
}

function integer(value: string | undefined, flag: string, min: number): number | undefined {
  const parsed = number(value, flag);
  if (parsed !== undefined && (!Number.isInteger(parsed) || parsed < min))
    throw new UsageError(`${flag} takes a whole number >= ${min}`);
  return parsed;
}

function oneOf<T extends string>(
  value: string | undefined,
  flag: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw new UsageError(`${flag} takes one of ${allowed.join(', ')}`);
  return match;
}

/** `token|word|sentence|paragraph|custom:<delimiter>`; `\n` and `\t` in the delimiter are unescaped. */
export function granularity(value: string | undefined): Granularity | undefined {
  if (value === undefined) return undefined;
  if (value.startsWith('custom:')) {
    const delimiter = value.slice('custom:'.length).replace(/\\n/g, '\n').replace(/\\t/g, '\t');
    if (delimiter === '') throw new UsageError('--granularity custom:<delimiter> needs a delimiter');
    return { type: 'custom', delimiter };
  }
  const type = oneOf(value, '--granularity', ['token', 'word', 'sentence', 'paragraph'] as const);
  return type === undefined ? undefined : { type };
}
