import type { Backend, BackendKind, BackendOptions } from '../backend';

/**
 * Builds a backend of the given kind. Each backend lives in its own folder and is loaded only when
 * first asked for, so a session that talks to one server never loads the others' code and schemas.
 */
export async function createBackend(kind: BackendKind, options: BackendOptions): Promise<Backend> {
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

export const BACKEND_KINDS: readonly BackendKind[] = ['aleph-alpha', 'llama-cpp', 'openai'];

export function isBackendKind(value: string): value is BackendKind {
  return (BACKEND_KINDS as readonly string[]).includes(value);
}
