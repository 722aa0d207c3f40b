import type { Backend, BackendKind, BackendOptions, Prompt } from '../core/backend';
import { createBackend, isBackendKind } from '../core/backends';
import { renderPromptFile } from '../core/promptFile';
import { resolveTarget } from '../core/useCases/index';
import { TemplateError, UsageError, type CliIo } from './io';
import { DEFAULT_CONNECT_TIMEOUT_SECONDS, type CliOptions } from './options';
import { cliTemplateFiles } from './templateFiles';

export const DEFAULT_URLS: Record<BackendKind, string> = {
  'aleph-alpha': 'https://api.aleph-alpha.com',
  'llama-cpp': 'http://127.0.0.1:8080',
  openai: 'http://127.0.0.1:8000/v1',
};

const DEFAULT_BACKEND: BackendKind = 'llama-cpp';

/** The prompt and the settings a command runs with: flags first, then the file's front matter. */
export interface Invocation {
  kind: BackendKind;
  prompt: Prompt;
  model?: string;
  params: Record<string, unknown>;
  expected?: string;
  target?: string;
}

export async function resolveInvocation(
  options: CliOptions,
  io: CliIo,
  needsPrompt: boolean,
): Promise<Invocation> {
  const invocation = await invocationOf(options, io, needsPrompt);
  // Aleph Alpha needs a model on every request but the list of models.
  if (needsPrompt && invocation.kind === 'aleph-alpha' && invocation.model === undefined)
    throw new UsageError(
      'Aleph Alpha needs a model: give --model NAME or `model:` in the front matter (promptlens models --backend aleph-alpha lists them)',
    );
  return invocation;
}

async function invocationOf(options: CliOptions, io: CliIo, needsPrompt: boolean): Promise<Invocation> {
  const flagKind = options.backend === undefined ? undefined : backendKind(options.backend, '--backend');
  if (options.prompt !== undefined || options.file === undefined) {
    if (needsPrompt && options.prompt === undefined)
      throw new UsageError('give --prompt TEXT or a .prompt FILE');
    return withDefined(
      { kind: flagKind ?? DEFAULT_BACKEND, prompt: options.prompt ?? '', params: {} },
      { model: options.model, expected: options.expected, target: options.target },
    );
  }
  const rendered = await renderFile(options, options.file, io, flagKind);
  const settings = rendered.settings;
  const kind = flagKind ?? kindFromFrontMatter(settings.backend);
  return withDefined(
    { kind, prompt: rendered.prompt, params: settings.params },
    {
      model: options.model ?? settings.model,
      expected: resolveTarget('evaluate', options.expected, settings),
      target: resolveTarget('explain', options.target, settings),
    },
  );
}

async function renderFile(options: CliOptions, file: string, io: CliIo, kind: BackendKind | undefined) {
  const files = cliTemplateFiles(file, options.files);
  let source: string;
  try {
    source = await io.readFile(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let rendered;
  try {
    rendered = await renderPromptFile(source, {
      path: file,
      files,
      ...(kind === undefined ? {} : { backendKind: kind }),
    });
  } catch (error) {
    throw new TemplateError(
      `cannot render ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const firstError = rendered.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
  if (firstError)
    throw new TemplateError(`${file}:${firstError.line + 1}:${firstError.column + 1}: ${firstError.message}`);
  return rendered;
}

/** Backend options from flags and environment; the token only ever comes from the environment. */
export function backendOptions(
  invocation: Invocation,
  options: CliOptions,
  env: CliIo['env'],
): BackendOptions {
  const token = env[options.tokenEnv];
  const silentMs = options.timeoutSeconds * 1000;
  // Connecting takes long only when something is wrong; a shorter --timeout shortens it too.
  const connectMs =
    (options.connectTimeoutSeconds ?? Math.min(DEFAULT_CONNECT_TIMEOUT_SECONDS, options.timeoutSeconds)) *
    1000;
  const MB = 1024 * 1024;
  const limits = {
    ...(options.maxReplyMb === undefined ? {} : { maxReplyBytes: Math.round(options.maxReplyMb * MB) }),
    ...(options.maxEventMb === undefined ? {} : { maxEventBytes: Math.round(options.maxEventMb * MB) }),
  };
  return {
    url: options.url ?? DEFAULT_URLS[invocation.kind],
    timeouts: {
      connectMs,
      firstByteMs: connectMs,
      headersMs: silentMs,
      bodyMs: silentMs,
      ...(options.deadlineSeconds === undefined ? {} : { attemptMs: options.deadlineSeconds * 1000 }),
    },
    ...(token ? { token } : {}),
    ...(invocation.model === undefined ? {} : { model: invocation.model }),
    network: { limits },
  };
}

export function openBackend(
  invocation: Invocation,
  options: CliOptions,
  env: CliIo['env'],
): Promise<Backend> {
  return createBackend(invocation.kind, backendOptions(invocation, options, env));
}

/** Runs `use` with a backend and always releases its connections. */
export async function withBackend<T>(
  invocation: Invocation,
  options: CliOptions,
  io: CliIo,
  use: (backend: Backend) => Promise<T>,
): Promise<T> {
  const backend = await openBackend(invocation, options, io.env);
  try {
    return await use(backend);
  } finally {
    await backend.close();
  }
}

/** The front matter may name a backend kind or an editor profile; the CLI knows no profiles. */
function kindFromFrontMatter(backend: string | undefined): BackendKind {
  if (backend === undefined) return DEFAULT_BACKEND;
  if (isBackendKind(backend)) return backend;
  throw new UsageError(
    `the front matter names the profile "${backend}", which only the editor knows: give --backend and --url`,
  );
}

function backendKind(value: string, where: string): BackendKind {
  if (!isBackendKind(value)) throw new UsageError(`${where} must be aleph-alpha, llama-cpp or openai`);
  return value;
}

function withDefined(
  base: Pick<Invocation, 'kind' | 'prompt' | 'params'>,
  extras: Partial<Record<'model' | 'expected' | 'target', string | undefined>>,
): Invocation {
  const invocation: Invocation = { ...base };
  if (extras.model !== undefined) invocation.model = extras.model;
  if (extras.expected !== undefined) invocation.expected = extras.expected;
  if (extras.target !== undefined) invocation.target = extras.target;
  return invocation;
}
