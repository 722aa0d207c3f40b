/** Starts the Aleph Alpha test server and a backend talking to it; sleeps are recorded, never waited. */
import type { ExplainRequest } from '../../../../../src/core/backend';
import { AlephAlphaBackend, type AlephAlphaOptions } from '../../../../../src/core/backends/alephAlpha';
import {
  startAlephAlphaServer,
  type AlephAlphaServer,
  type AlephAlphaServerOptions,
} from '../../../../fixtures/alephAlpha';

export const TOKEN = 'test-token';

export interface Harness {
  server: AlephAlphaServer;
  backend: AlephAlphaBackend;
  /** Waits the HTTP client asked for (ms), in order. */
  sleeps: number[];
  /** Another backend on the same server with other options. */
  backendWith(options: Partial<AlephAlphaOptions>): AlephAlphaBackend;
  close(): Promise<void>;
}

export async function startHarness(
  options: Partial<AlephAlphaOptions> = {},
  serverOptions: AlephAlphaServerOptions = {},
): Promise<Harness> {
  const server = await startAlephAlphaServer(serverOptions);
  const sleeps: number[] = [];
  const backends: AlephAlphaBackend[] = [];
  const backendWith = (extra: Partial<AlephAlphaOptions>) => {
    const backend = new AlephAlphaBackend(
      {
        url: server.url,
        token: TOKEN,
        model: 'luminous-base',
        retry: { maxRetries: 3, baseDelayMs: 0, maxDelayMs: 0 },
        ...options,
        ...extra,
      },
      {
        env: {},
        random: () => 0.5,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
    );
    backends.push(backend);
    return backend;
  };
  const backend = backendWith({});
  return {
    server,
    backend,
    sleeps,
    backendWith,
    async close() {
      await Promise.all(backends.map((b) => b.close()));
      await server.close();
    },
  };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** A few bytes that pass as a PNG (the test server reads only the signature). */
export const PNG_BASE64 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]).toString(
  'base64',
);

/** A text and an image to explain, sentence by sentence, for each token of the target. */
export const TEXT_AND_IMAGE_EXPLAIN: ExplainRequest = {
  prompt: [
    { type: 'text', text: 'I am a programmer. I am French. My favourite food is' },
    { type: 'image', data: PNG_BASE64 },
  ],
  target: ' pizza with cheese',
  granularity: { type: 'sentence' },
  targetGranularity: 'token',
};
