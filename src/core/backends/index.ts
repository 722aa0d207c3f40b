import type { Backend, BackendKind, BackendOptions, CompletionDelta, CompletionRequest } from '../backend';
import { InvalidResponseError } from '../errors';
import { proxyCredentials } from '../http/proxyRoute';
import { guardBackend } from '../secrets';

/**
 * Builds a backend of the given kind. Each backend lives in its own folder and is loaded only when
 * first asked for, so a session that talks to one server never loads the others' code and schemas.
 * Every backend is handed out guarded: no error leaves it carrying the token or the proxy's password,
 * and no stream hands out a completion index beyond what was asked for.
 */
export async function createBackend(kind: BackendKind, options: BackendOptions): Promise<Backend> {
  return guardBackend(withBoundedIndexes(await buildBackend(kind, options)), [
    options.token,
    ...proxyCredentials(options.proxy),
  ]);
}

async function buildBackend(kind: BackendKind, options: BackendOptions): Promise<Backend> {
  switch (kind) {
    case 'aleph-alpha': {
      const { AlephAlphaBackend } = await import('./alephAlpha');
      return new AlephAlphaBackend(options);
    }
    case 'llama-cpp': {
      const { LlamaCppBackend } = await import('./llamaCpp');
      return new LlamaCppBackend(options);
    }
    case 'openai': {
      const { OpenAiBackend } = await import('./openai');
      return new OpenAiBackend(options);
    }
  }
}

/** How many completions a request asks for (`n` of the native parameters), at least one. */
export function requestedCompletions(request: CompletionRequest): number {
  const n = request.params?.n;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : 1;
}

/** A streamed delta for completion #4294967294 when one was asked for is a broken reply, not a reason to allocate. */
function withBoundedIndexes(backend: Backend): Backend {
  const stream = backend.stream.bind(backend);
  backend.stream = (request) => checkIndexes(stream(request), requestedCompletions(request));
  return backend;
}

async function* checkIndexes(
  deltas: AsyncIterable<CompletionDelta>,
  count: number,
): AsyncGenerator<CompletionDelta> {
  for await (const delta of deltas) {
    if (!Number.isInteger(delta.index) || delta.index < 0 || delta.index >= count)
      throw new InvalidResponseError(
        `The server sent a piece of completion #${String(delta.index)}, but ${count} ${count === 1 ? 'was' : 'were'} asked for. Check that the URL points to the right kind of server.`,
        '',
      );
    yield delta;
  }
}

export const BACKEND_KINDS: readonly BackendKind[] = ['aleph-alpha', 'llama-cpp', 'openai'];

export function isBackendKind(value: string): value is BackendKind {
  return (BACKEND_KINDS as readonly string[]).includes(value);
}
