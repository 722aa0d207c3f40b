// The fault suite: one test per class of hostile network or reply, against the project's test servers
// (their `raw` fault) and a test proxy. Each fault must end in a typed error that says what happened,
// within bounds of time, connections and memory, and without retries that cannot help.
import * as assert from 'node:assert/strict';
import { z } from 'zod';
import type { Backend, BackendKind, BackendOptions } from '../../../../src/core/backend';
import { createBackend } from '../../../../src/core/backends';
import {
  ConnectionError,
  InvalidResponseError,
  PromptLensError,
  ReplyTooLargeError,
  TimeoutError,
} from '../../../../src/core/errors';
import { HttpClient } from '../../../../src/core/http/httpClient';
import { errorFromStatus } from '../../../../src/core/http/statusErrors';
import { startAlephAlphaServer, type AlephAlphaServer } from '../../../fixtures/alephAlpha/server';
import type { LlamaCppServerHandle } from '../../../fixtures/llamaCpp/options';
import { startLlamaCppServer } from '../../../fixtures/llamaCpp/server';
import { startOpenAiServer, type OpenAiTestServer } from '../../../fixtures/openai/server';
import { startTestProxy, type TestProxy } from '../../../fixtures/proxy/server';
import { faults, sleep, type RawFault } from '../../../fixtures/rawReply';

const MB = 1024 * 1024;
const FAST = { retry: { baseDelayMs: 1, maxDelayMs: 5 } };

describe('fault suite', function () {
  this.timeout(20_000);
  let openai: OpenAiTestServer;
  let llama: LlamaCppServerHandle;
  let aleph: AlephAlphaServer;
  let proxy: TestProxy;
  const backends: Backend[] = [];

  before(async () => {
    [openai, llama, aleph, proxy] = await Promise.all([
      startOpenAiServer(),
      startLlamaCppServer(),
      startAlephAlphaServer({ token: 'aa-token' }),
      startTestProxy(),
    ]);
  });
  after(() => Promise.all([openai.close(), llama.close(), aleph.close(), proxy.close()]));
  afterEach(async () => {
    await Promise.all(backends.splice(0).map((backend) => backend.close()));
    openai.faults.splice(0);
    llama.setFaults({});
    aleph.setFaults({});
    proxy.mode = 'tunnel';
  });

  async function backend(kind: BackendKind, options: Partial<BackendOptions> = {}): Promise<Backend> {
    const url = kind === 'openai' ? openai.url : kind === 'llama-cpp' ? llama.url : aleph.url;
    const created = await createBackend(kind, {
      url,
      ...(kind === 'aleph-alpha' ? { token: 'aa-token', model: 'luminous-base' } : {}),
      ...FAST,
      ...options,
    });
    backends.push(created);
    return created;
  }

  /** Queues one raw reply on the server of `kind` (llama.cpp: for /completion only, not its probes). */
  function inject(kind: BackendKind, ...replies: RawFault[]): void {
    if (kind === 'openai') openai.faults.push(...replies.map((reply) => ({ kind: 'raw' as const, reply })));
    else if (kind === 'llama-cpp') llama.setFaults({ raw: replies, paths: ['/completion'] });
    else aleph.setFaults({ raw: replies, endpoint: 'complete' });
  }

  async function rejection(promise: Promise<unknown>): Promise<PromptLensError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof PromptLensError, `expected a typed error, got ${String(error)}`);
      return error;
    }
    assert.fail('expected a rejection');
  }

  const drain = async (stream: AsyncIterable<unknown>): Promise<void> => {
    for await (const _ of stream) void _;
  };
  const complete = (b: Backend) => b.complete({ prompt: 'Hello', maxTokens: 2 });
  const stream = (b: Backend, params?: Record<string, unknown>) =>
    drain(b.stream({ prompt: 'Hello', maxTokens: 2, ...(params ? { params } : {}) }));
  // A made-up host: the test proxy tunnels every request to loopback, and loopback targets bypass proxies.
  const remoteName = () => `http://promptlens-remote.invalid:${openai.port}`;

  it('a proxy that closes CONNECT: one connection, the proxy named, no re-dialling', async () => {
    proxy.mode = 'close-on-connect';
    const before = proxy.connections;
    const started = Date.now();
    const error = await rejection(complete(await backend('openai', { url: remoteName(), proxy: proxy.url })));
    assert.ok(error instanceof ConnectionError);
    assert.match(error.message, new RegExp(`proxy at ${proxy.url} refused the tunnel`));
    // The same proxy from the environment (the CLI's path), through the client directly.
    const client = new HttpClient(
      { baseUrl: remoteName(), mapError: (s) => errorFromStatus(s, ''), ...FAST },
      { env: { HTTP_PROXY: proxy.url } },
    );
    await assert.rejects(
      client.json({ method: 'GET', path: '/v1/models', schema: z.unknown() }),
      /refused the tunnel/,
    );
    await client.close();
    await sleep(300);
    assert.equal(proxy.connections - before, 2, 'one connection per request, never re-dialled');
    assert.ok(Date.now() - started < 3000);
  });

  it('a proxy that accepts and never answers: the proxy named within the connect timeout', async () => {
    proxy.mode = 'silent';
    const started = Date.now();
    const error = await rejection(
      complete(
        await backend('openai', { url: remoteName(), proxy: proxy.url, timeouts: { connectMs: 300 } }),
      ),
    );
    assert.ok(error instanceof TimeoutError);
    assert.match(
      error.message,
      new RegExp(`proxy at ${proxy.url} accepted the connection but never answered`),
    );
    assert.ok(Date.now() - started < 3000, 'not the 301 s of the headers timeout');
  });

  it('a proxy that answers CONNECT with 407 or 403: credentials asked for, or the tunnel refused', async () => {
    proxy.mode = 'auth-required';
    const b = await backend('openai', { url: remoteName(), proxy: proxy.url });
    assert.match((await rejection(complete(b))).message, /proxy at .* asks for credentials \(HTTP 407\)/);
    proxy.mode = 'forbidden';
    assert.match(
      (await rejection(stream(b))).message,
      /proxy at .* refused the tunnel to .* \(HTTP 403 Forbidden\)/,
    );
  });

  it('a reply that trickles forever within the idle timeout: one attempt, ended by its deadline', async () => {
    inject('llama-cpp', () => faults.trickle('application/json', 50));
    const b = await backend('llama-cpp', { timeouts: { attemptMs: 500, bodyMs: 5000 } });
    const before = llama.stats().faultsServed;
    const error = await rejection(complete(b));
    assert.ok(error instanceof TimeoutError);
    assert.match(error.message, /did not finish answering within 0\.5 s/);
    assert.equal(llama.stats().faultsServed - before, 1, 'no retry');
  });

  it('a JSON reply that never ends: reading stops at the reply cap', async () => {
    // If the client buffered the whole reply it would never return: the body is endless.
    inject('aleph-alpha', () => faults.endless('application/json', '{"completions":[{"completion":"'));
    const b = await backend('aleph-alpha', { network: { limits: { maxReplyBytes: MB } } });
    const error = await rejection(complete(b));
    assert.ok(error instanceof ReplyTooLargeError);
    assert.match(error.message, /larger than 1 MB/);
    // A reply announcing more than the cap is refused before it is read.
    const body = `{"completions":[{"completion":"${'y'.repeat(2 * MB)}"}]}`;
    inject('aleph-alpha', () => ({
      status: 200,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      body,
    }));
    assert.ok((await rejection(complete(b))) instanceof ReplyTooLargeError);
  });

  it('an event line that never ends: reading stops at the event cap', async () => {
    inject('openai', () => faults.endless('text/event-stream', 'data: {"choices":[{"text":"'));
    const error = await rejection(
      stream(await backend('openai', { network: { limits: { maxEventBytes: MB / 4 } } })),
    );
    assert.ok(error instanceof ReplyTooLargeError);
    assert.match(error.message, /stream event larger than 256\.0 KB|stream event larger than/);
  });

  it('a completion index far beyond what was asked for: a typed error, at once', async () => {
    const chunk = (index: number) =>
      JSON.stringify({ choices: [{ text: 'x', index, logprobs: null, finish_reason: null }] });
    for (const index of [4294967294, 1]) {
      inject('openai', () => faults.events(chunk(index), '[DONE]'));
      const started = Date.now();
      const error = await rejection(stream(await backend('openai')));
      assert.ok(error instanceof InvalidResponseError, error.message);
      assert.ok(Date.now() - started < 2000);
    }
    inject('aleph-alpha', () =>
      faults.events(JSON.stringify({ type: 'stream_chunk', index: 4294967294, completion: 'x' })),
    );
    assert.ok((await rejection(stream(await backend('aleph-alpha')))) instanceof InvalidResponseError);
  });

  it('impossible numbers: positive log-probabilities and negative token counts are rejected', async () => {
    const cases: [BackendKind, unknown][] = [
      ['openai', { choices: [{ text: 'x', index: 0, logprobs: { tokens: ['x'], token_logprobs: [0.7] } }] }],
      ['openai', { choices: [{ text: 'x', index: 0 }], usage: { prompt_tokens: -3, completion_tokens: 1 } }],
      ['llama-cpp', { index: 0, content: 'x', stop: true, tokens_predicted: -1, tokens_evaluated: 2 }],
      [
        'llama-cpp',
        {
          content: 'x',
          stop: true,
          completion_probabilities: [{ id: 1, token: 'x', logprob: 2.5, top_logprobs: [] }],
        },
      ],
      ['aleph-alpha', { completions: [{ completion: 'x', log_probs: [{ x: 0.5 }] }] }],
      ['aleph-alpha', { completions: [{ completion: 'x' }], num_tokens_generated: -4 }],
    ];
    for (const [kind, body] of cases) {
      inject(kind, () => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }));
      const b = await backend(kind);
      const error = await rejection(b.complete({ prompt: 'Hello', maxTokens: 1, logProbs: 1 }));
      assert.ok(error instanceof InvalidResponseError, `${kind}: ${error.message}`);
    }
  });

  it('Retry-After negative, garbage or huge: bounded waits, a total retry budget', async () => {
    const waits: number[] = [];
    const client = (retry = {}) =>
      new HttpClient(
        {
          baseUrl: llama.url,
          mapError: (s) => errorFromStatus(s, ''),
          retry: { baseDelayMs: 200, ...retry },
        },
        { sleep: async (ms) => void waits.push(ms), random: () => 0.5, env: {} },
      );
    const get = (c: HttpClient) =>
      c.json({ method: 'POST', path: '/completion', body: {}, schema: z.unknown() });
    for (const value of ['-5', 'soon', '1e9999', '0']) {
      waits.length = 0;
      llama.setFaults({
        raw: [1, 2, 3, 4].map(() => () => faults.retryAfter(503, value)),
        paths: ['/completion'],
      });
      const c = client();
      await assert.rejects(get(c));
      await c.close();
      assert.equal(waits.length, 3, value);
      assert.ok(
        waits.every((ms) => ms >= 100 && ms <= 30_000),
        `${value}: ${waits.join(', ')}`,
      );
    }
    // A wait beyond a minute is not waited: the error comes at once.
    waits.length = 0;
    llama.setFaults({ raw: [() => faults.retryAfter(503, '86400')], paths: ['/completion'] });
    const c = client();
    await assert.rejects(get(c));
    assert.deepEqual(waits, []);
    // All waits of one request stay within the budget.
    waits.length = 0;
    llama.setFaults({
      raw: [1, 2, 3, 4].map(() => () => faults.retryAfter(429, '40')),
      paths: ['/completion'],
    });
    const budget = client({ maxTotalMs: 90_000 });
    await assert.rejects(get(budget));
    assert.deepEqual(waits, [40_000, 40_000]);
    await Promise.all([c.close(), budget.close()]);
  });

  it('an HTML page with status 200: said so, and not retried', async () => {
    for (const kind of ['openai', 'llama-cpp', 'aleph-alpha'] as const) {
      inject(kind, faults.htmlPage, faults.htmlPage);
      const b = await backend(kind);
      const streamed = await rejection(stream(b));
      assert.ok(streamed instanceof InvalidResponseError);
      assert.match(streamed.message, /HTML page, not an event stream/);
      const plain = await rejection(complete(b));
      assert.match(plain.message, /an HTML page, not JSON/);
    }
    assert.equal(openai.faults.length, 0, 'both replies consumed by exactly two requests');
  });

  it('compressed replies are decoded; an unknown, corrupt or oversized encoding is a typed error', async () => {
    const reply = JSON.stringify({ choices: [{ text: ' world', index: 0, finish_reason: 'length' }] });
    const events = `data: ${JSON.stringify({ choices: [{ text: ' world', index: 0, finish_reason: 'length' }] })}\n\ndata: [DONE]\n\n`;
    const b = await backend('openai');
    for (const encoding of ['gzip', 'deflate', 'br'] as const) {
      inject('openai', () => faults.encoded(reply, 'application/json', encoding));
      assert.equal((await b.complete({ prompt: 'Hello', maxTokens: 1 })).completions[0]?.text, ' world');
      inject('openai', () => faults.encoded(events, 'text/event-stream', encoding));
      const texts: string[] = [];
      for await (const delta of b.stream({ prompt: 'Hello', maxTokens: 1 })) texts.push(delta.text);
      assert.deepEqual(texts, [' world'], encoding);
    }
    inject('openai', () => faults.unknownEncoding('application/json'));
    assert.match((await rejection(complete(b))).message, /encoded as "zstd"/);
    inject('openai', () => faults.corruptGzip('text/event-stream'));
    assert.match((await rejection(stream(b))).message, /gzip-encoded but could not be decoded/);
    // A small gzip that inflates past the cap (a "zip bomb") stops at the cap.
    const small = await backend('openai', { network: { limits: { maxReplyBytes: MB } } });
    inject('openai', () =>
      faults.encoded(`{"choices":[{"text":"${'0'.repeat(20 * MB)}"}]}`, 'application/json', 'gzip'),
    );
    assert.ok((await rejection(complete(small))) instanceof ReplyTooLargeError);
  });
});
