import * as assert from 'node:assert/strict';
import { z } from 'zod';
import {
  BadRequestError,
  BusyError,
  CancelledError,
  ConnectionError,
  InvalidResponseError,
  PromptLensError,
  RateLimitError,
  ServerError,
} from '../../../../src/core/errors';
import { HttpClient, type HttpClientHooks } from '../../../../src/core/http/httpClient';
import { errorFromStatus, serverMessageFromBody } from '../../../../src/core/http/statusErrors';
import type { HttpClientOptions, SseEvent } from '../../../../src/core/http/types';
import {
  dropConnection,
  jsonReply,
  startScriptedServer,
  status,
  type ScriptedServer,
} from './scriptedServer';

const TOKEN = 'sk-test-SECRET-0123456789';
const okSchema = z.object({ ok: z.boolean() });
const mapError = (code: number, body: string, headers: Record<string, string>): PromptLensError =>
  errorFromStatus(code, serverMessageFromBody(body), headers);

describe('HttpClient', () => {
  let server: ScriptedServer;
  let waits: number[];
  const clients: HttpClient[] = [];

  beforeEach(async () => {
    server = await startScriptedServer();
    waits = [];
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
  });

  /** By default waits are recorded, not slept; random() is 0.5 and no proxy comes from the environment. */
  function client(
    options: Partial<HttpClientOptions> = {},
    hooks: HttpClientHooks = { random: () => 0.5, sleep: async (ms) => void waits.push(ms), env: {} },
  ): HttpClient {
    const created = new HttpClient({ baseUrl: server.url, mapError, ...options }, hooks);
    clients.push(created);
    return created;
  }

  async function collect(events: AsyncIterable<SseEvent>, seen: SseEvent[] = []): Promise<SseEvent[]> {
    for await (const event of events) seen.push(event);
    return seen;
  }

  async function rejects(promise: Promise<unknown>, type: new (...args: never[]) => Error): Promise<Error> {
    let caught: unknown;
    await promise.catch((error: unknown) => (caught = error));
    assert.ok(caught instanceof type, `expected ${type.name}, got ${String(caught)}`);
    return caught;
  }

  describe('requests', () => {
    it('parses and validates a JSON reply, ignoring unknown fields', async () => {
      server.handlers.push((_req, res) => jsonReply(res, 200, { ok: true, more: [1] }));
      assert.deepEqual(await client().json({ method: 'GET', path: '/health', schema: okSchema }), {
        ok: true,
      });
    });

    it('joins the base path, the request path and the query', async () => {
      const prefixed = client({ baseUrl: `${server.url}/prefix/` });
      await prefixed.json({
        method: 'POST',
        path: '/v1/x',
        query: { nice: true, skip: undefined },
        body: { a: 1 },
        schema: okSchema,
      });
      assert.equal(server.requests[0]?.url, '/prefix/v1/x?nice=true');
      assert.equal(server.requests[0]?.body, '{"a":1}');
      assert.equal(server.requests[0]?.headers['content-type'], 'application/json');
    });

    it('sends the user agent and the extra headers, but never credentials through them', async () => {
      await client({
        userAgent: 'PromptLens/9.9.9',
        headers: { 'X-Trace': 't1', Authorization: 'Bearer sneaky' },
      }).json({ method: 'GET', path: '/', schema: okSchema });
      const headers = server.requests[0]?.headers;
      assert.equal(headers?.['user-agent'], 'PromptLens/9.9.9');
      assert.equal(headers?.['x-trace'], 't1');
      assert.equal(headers?.authorization, undefined);
    });

    it('reads a text reply', async () => {
      server.handlers.push((_req, res) => res.end('1.2.3'));
      assert.equal(await client().text({ method: 'GET', path: '/version' }), '1.2.3');
    });

    it('rejects a reply that does not match the schema with InvalidResponseError keeping the raw body', async () => {
      server.handlers.push((_req, res) => jsonReply(res, 200, { ok: 'yes' }));
      const error = await rejects(
        client().json({ method: 'GET', path: '/', schema: okSchema }),
        InvalidResponseError,
      );
      assert.equal((error as InvalidResponseError).rawBody, '{"ok":"yes"}');
    });

    it('rejects malformed JSON with InvalidResponseError', async () => {
      server.handlers.push((_req, res) => jsonReply(res, 200, '{"ok": tru'));
      await rejects(client().json({ method: 'GET', path: '/', schema: okSchema }), InvalidResponseError);
    });

    it('maps a non-2xx reply through mapError with status, body and headers', async () => {
      const seen: unknown[] = [];
      server.handlers.push(status(418, 'teapot', { 'x-why': 'because' }));
      const custom = client({
        mapError: (code, body, headers) => (
          seen.push(code, body, headers['x-why']),
          new ServerError('mapped', code)
        ),
      });
      const error = await rejects(custom.json({ method: 'GET', path: '/', schema: okSchema }), ServerError);
      assert.equal(error.message, 'mapped');
      assert.deepEqual(seen, [418, 'teapot', 'because']);
    });
  });

  describe('retries', () => {
    it('retries 503 with exponential backoff and full jitter, then succeeds', async () => {
      server.handlers.push(status(503), status(502));
      const result = await client({ retry: { baseDelayMs: 100, maxDelayMs: 1000 } }).json({
        method: 'POST',
        path: '/',
        body: {},
        schema: okSchema,
      });
      assert.deepEqual(result, { ok: true });
      assert.equal(server.requests.length, 3);
      // random() = 0.5: half of 100 * 2^0 and of 100 * 2^1.
      assert.deepEqual(waits, [50, 100]);
    });

    it('retries each of 408, 429, 500, 502, 503 and 504', async () => {
      for (const code of [408, 429, 500, 502, 503, 504]) server.handlers.push(status(code));
      await client({ retry: { maxRetries: 6 } }).json({ method: 'GET', path: '/', schema: okSchema });
      assert.equal(server.requests.length, 7);
    });

    it('honours Retry-After in seconds', async () => {
      server.handlers.push(status(429, 'slow down', { 'retry-after': '2' }));
      await client().json({ method: 'GET', path: '/', schema: okSchema });
      assert.deepEqual(waits, [2000]);
    });

    it('honours Retry-After as an HTTP date', async () => {
      const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
      server.handlers.push(status(503, 'busy', { 'retry-after': inTenSeconds }));
      await client().json({ method: 'GET', path: '/', schema: okSchema });
      assert.equal(waits.length, 1);
      assert.ok((waits[0] ?? -1) > 5_000 && (waits[0] ?? Infinity) <= 10_000, String(waits[0]));
    });

    it('does not wait out a Retry-After longer than a minute: the caller gets the error at once', async () => {
      server.handlers.push(status(429, 'later', { 'retry-after': '600' }));
      const error = await rejects(
        client().json({ method: 'GET', path: '/', schema: okSchema }),
        RateLimitError,
      );
      assert.equal((error as RateLimitError).retryAfterMs, 600_000);
      assert.equal(server.requests.length, 1);
    });

    it('gives up after maxRetries (default 3) and throws the last typed error', async () => {
      for (let i = 0; i < 5; i++) server.handlers.push(status(503));
      await rejects(client().json({ method: 'GET', path: '/', schema: okSchema }), BusyError);
      assert.equal(server.requests.length, 4);
      assert.equal(waits.length, 3);
    });

    it('never retries 400, 401, 402 or 404', async () => {
      for (const code of [400, 401, 402, 404]) {
        server.handlers.push(status(code));
        const before = server.requests.length;
        await rejects(client().json({ method: 'GET', path: '/', schema: okSchema }), PromptLensError);
        assert.equal(server.requests.length, before + 1, String(code));
      }
      assert.deepEqual(waits, []);
    });

    it('retries a dropped connection', async () => {
      server.handlers.push(dropConnection);
      assert.deepEqual(await client().json({ method: 'POST', path: '/', body: {}, schema: okSchema }), {
        ok: true,
      });
      assert.equal(server.requests.length, 2);
    });

    it('reports a refused connection as a ConnectionError after retrying', async () => {
      const port = Number(new URL(server.url).port);
      await server.close();
      const refused = client({ baseUrl: `http://127.0.0.1:${port}` });
      const error = await rejects(
        refused.json({ method: 'GET', path: '/', schema: okSchema }),
        ConnectionError,
      );
      assert.match(error.message, /refused/);
      assert.equal(waits.length, 3);
      server = await startScriptedServer();
    });
  });

  describe('streams', () => {
    const sse = (...events: string[]) => events.map((data) => `data: ${data}\n\n`).join('');

    it('delivers the events of an event stream', async () => {
      server.handlers.push((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(sse('{"a":1}', '[DONE]'));
      });
      const events = await collect(client().stream({ method: 'POST', path: '/s', body: {} }));
      assert.deepEqual(events, [
        { field: 'data', data: '{"a":1}' },
        { field: 'data', data: '[DONE]' },
      ]);
      assert.equal(server.requests[0]?.headers.accept, 'text/event-stream');
    });

    it('retries before the first event', async () => {
      server.handlers.push(status(503), (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(sse('1'));
      });
      assert.deepEqual(await collect(client().stream({ method: 'POST', path: '/s' })), [
        { field: 'data', data: '1' },
      ]);
      assert.equal(server.requests.length, 2);
    });

    it('never retries once an event was delivered; a drop mid-event is a ConnectionError', async () => {
      server.handlers.push((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(sse('1') + 'data: {"half');
        setImmediate(() => res.socket?.destroy());
      });
      const seen: SseEvent[] = [];
      await rejects(collect(client().stream({ method: 'POST', path: '/s' }), seen), ConnectionError);
      assert.deepEqual(seen, [{ field: 'data', data: '1' }]);
      assert.equal(server.requests.length, 1);
      assert.deepEqual(waits, []);
    });

    it('reports a body that ends cleanly in the middle of an event as a ConnectionError', async () => {
      server.handlers.push((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(sse('1') + 'data: {"half');
      });
      await rejects(collect(client().stream({ method: 'POST', path: '/s' })), ConnectionError);
      assert.equal(server.requests.length, 1);
    });

    it('rejects a JSON reply where an event stream was asked for', async () => {
      server.handlers.push((_req, res) => jsonReply(res, 200, { choices: [] }));
      await rejects(collect(client().stream({ method: 'POST', path: '/s' })), InvalidResponseError);
    });

    it('maps an error status before the stream to the typed error', async () => {
      server.handlers.push(status(400, { error: { message: 'context too long' } }));
      const error = await rejects(collect(client().stream({ method: 'POST', path: '/s' })), BadRequestError);
      assert.match(error.message, /context too long/);
    });
  });

  describe('timeouts and cancellation', () => {
    // Each wait (connect, first byte, headers, body) is tested in timeouts.test.ts.
    it('throws CancelledError without a request when the signal is already aborted', async () => {
      await rejects(
        client().json({ method: 'GET', path: '/', schema: okSchema, signal: AbortSignal.abort() }),
        CancelledError,
      );
      assert.equal(server.requests.length, 0);
    });

    it('throws CancelledError when aborted while waiting for the reply', async () => {
      const controller = new AbortController();
      server.handlers.push(() => controller.abort());
      await rejects(
        client().json({ method: 'GET', path: '/', schema: okSchema, signal: controller.signal }),
        CancelledError,
      );
    });

    it('throws CancelledError when aborted during the backoff', async () => {
      const controller = new AbortController();
      server.handlers.push((req, res) => {
        status(503)(req, res, '');
        setImmediate(() => controller.abort());
      });
      const patient = client(
        { retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 } },
        { random: () => 0.5, env: {} },
      );
      await rejects(
        patient.json({ method: 'GET', path: '/', schema: okSchema, signal: controller.signal }),
        CancelledError,
      );
      assert.equal(server.requests.length, 1);
    });

    it('throws CancelledError when aborted in the middle of a stream', async () => {
      const controller = new AbortController();
      server.handlers.push((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: 1\n\n');
      });
      const seen: SseEvent[] = [];
      const events = client().stream({ method: 'POST', path: '/s', signal: controller.signal });
      const run = (async () => {
        for await (const event of events) {
          seen.push(event);
          controller.abort();
        }
      })();
      await rejects(run, CancelledError);
      assert.equal(seen.length, 1);
    });
  });

  describe('the token', () => {
    it('goes as a Bearer header to the base origin', async () => {
      await client({ token: TOKEN }).json({ method: 'GET', path: '/', schema: okSchema });
      assert.equal(server.requests[0]?.headers.authorization, `Bearer ${TOKEN}`);
    });

    it('never goes to another origin', async () => {
      const other = await startScriptedServer();
      try {
        await client({ token: TOKEN }).json({
          method: 'GET',
          path: `${other.url}/elsewhere`,
          schema: okSchema,
        });
        assert.equal(other.requests.length, 1);
        assert.equal(other.requests[0]?.headers.authorization, undefined);
      } finally {
        await other.close();
      }
    });

    it('does not follow a redirect to another origin', async () => {
      const other = await startScriptedServer();
      try {
        server.handlers.push((_req, res) => {
          res.writeHead(302, { location: `${other.url}/steal` });
          res.end();
        });
        await rejects(
          client({ token: TOKEN }).json({ method: 'GET', path: '/', schema: okSchema }),
          ServerError,
        );
        assert.equal(other.requests.length, 0);
      } finally {
        await other.close();
      }
    });

    it('never appears in an error, even when the server echoes it', async () => {
      const echo =
        (code: number) =>
        (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) =>
          jsonReply(
            res,
            code,
            { error: { message: `bad header ${req.headers.authorization}` } },
            { 'x-echo': String(req.headers.authorization) },
          );
      const seenHeaders: string[] = [];
      const leaky = client({
        token: TOKEN,
        mapError: (code, body, headers) => (
          seenHeaders.push(headers['x-echo'] ?? ''),
          mapError(code, body, headers)
        ),
      });
      server.handlers.push(echo(400));
      const bad = await rejects(leaky.json({ method: 'GET', path: '/', schema: okSchema }), BadRequestError);
      server.handlers.push(echo(501));
      const failed = await rejects(leaky.json({ method: 'GET', path: '/', schema: okSchema }), ServerError);
      server.handlers.push((req, res) => jsonReply(res, 200, { ok: req.headers.authorization }));
      const invalid = await rejects(
        leaky.json({ method: 'GET', path: '/', schema: okSchema }),
        InvalidResponseError,
      );
      for (const error of [bad, failed, invalid]) {
        const everything = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}`;
        assert.ok(!everything.includes(TOKEN), everything);
      }
      assert.match(bad.message, /\[redacted\]/);
      assert.ok(seenHeaders.every((header) => !header.includes(TOKEN)));
    });
  });
});
