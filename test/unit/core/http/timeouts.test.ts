// Each wait of the HTTP client fires in its own phase and names the setting (and CLI flag) that
// changes it: connect, first byte (probes, listings, streams), headers of a reply sent when the work
// is done, silence within a body. Short waits, no assertions on speed.
import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { PromptLensError, TimeoutError, type TimeoutPhase } from '../../../../src/core/errors';
import { HttpClient } from '../../../../src/core/http/httpClient';
import { errorFromStatus, serverMessageFromBody } from '../../../../src/core/http/statusErrors';
import { transportFailure } from '../../../../src/core/http/transportErrors';
import type { HttpClientOptions, SseEvent } from '../../../../src/core/http/types';
import { jsonReply, startScriptedServer, type Handler, type ScriptedServer } from './scriptedServer';

const okSchema = z.object({ ok: z.boolean() });
const mapError = (code: number, body: string, headers: Record<string, string>): PromptLensError =>
  errorFromStatus(code, serverMessageFromBody(body), headers);
const CONNECT_KNOB =
  /\(the connect timeout: promptLens\.http\.connectTimeoutSeconds, CLI --connect-timeout\)/;
const GENERATION_KNOB = /\(the generation timeout: promptLens\.http\.timeoutSeconds, CLI --timeout\)/;

/** Accepts the request and never answers (the socket is closed when the server closes). */
const silent: Handler = () => undefined;
/** Headers and one event, then nothing. */
const stallAfterOneEvent: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write('data: {"n":1}\n\n');
};

describe('HttpClient waits', () => {
  let server: ScriptedServer;
  const clients: HttpClient[] = [];
  beforeEach(async () => {
    server = await startScriptedServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
  });

  function client(timeouts: NonNullable<HttpClientOptions['timeouts']>): HttpClient {
    const created = new HttpClient(
      { baseUrl: server.url, mapError, timeouts },
      { random: () => 0.5, sleep: async () => undefined, env: {} },
    );
    clients.push(created);
    return created;
  }

  async function timeoutOf(promise: Promise<unknown>): Promise<TimeoutError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof TimeoutError, `expected a TimeoutError, got ${String(error)}`);
      return error;
    }
    assert.fail('expected a TimeoutError, but the request succeeded');
  }

  async function drain(events: AsyncIterable<SseEvent>, seen: SseEvent[] = []): Promise<SseEvent[]> {
    for await (const event of events) seen.push(event);
    return seen;
  }

  it('a GET to a server that accepts and never answers: the first-byte wait, one attempt', async () => {
    server.handlers.push(silent, silent);
    const error = await timeoutOf(
      client({ firstByteMs: 100, headersMs: 60_000 }).json({
        method: 'GET',
        path: '/props',
        schema: okSchema,
      }),
    );
    assert.equal(error.phase, 'first-byte');
    assert.match(error.message, /accepted the connection but sent nothing within 0\.1 s/);
    assert.match(error.message, CONNECT_KNOB);
    assert.equal(server.requests.length, 1, 'a silent server is not asked again');
  });

  it('a stream whose headers never come: the first-byte wait, not the generation timeout', async () => {
    server.handlers.push(silent);
    const error = await timeoutOf(
      drain(client({ firstByteMs: 100, headersMs: 60_000 }).stream({ method: 'POST', path: '/completion' })),
    );
    assert.equal(error.phase, 'first-byte');
    assert.match(error.message, CONNECT_KNOB);
  });

  it('a POST answered when the work is done waits the generation timeout for its headers', async () => {
    // Answered after 300 ms: longer than the first-byte wait, within the generation timeout.
    server.handlers.push((_req, res) => void setTimeout(() => jsonReply(res, 200, { ok: true }), 300));
    const patient = client({ firstByteMs: 50, headersMs: 10_000 });
    assert.deepEqual(await patient.json({ method: 'POST', path: '/evaluate', schema: okSchema }), {
      ok: true,
    });
    server.handlers.push(silent);
    const error = await timeoutOf(
      client({ firstByteMs: 60_000, headersMs: 100 }).json({
        method: 'POST',
        path: '/evaluate',
        schema: okSchema,
      }),
    );
    assert.equal(error.phase, 'headers');
    assert.match(error.message, /did not start answering within 0\.1 s/);
    assert.match(error.message, GENERATION_KNOB);
  });

  it('a stream that stalls after its first event: the generation timeout between bytes, events kept', async () => {
    server.handlers.push(stallAfterOneEvent);
    const seen: SseEvent[] = [];
    const error = await timeoutOf(
      drain(
        client({ firstByteMs: 60_000, bodyMs: 100 }).stream({ method: 'POST', path: '/completion' }),
        seen,
      ),
    );
    assert.equal(error.phase, 'body');
    assert.match(error.message, /stopped sending for 0\.1 s in the middle of its reply/);
    assert.match(error.message, GENERATION_KNOB);
    assert.deepEqual(
      seen.map((event) => event.data),
      ['{"n":1}'],
    );
  });

  it('the first-byte wait does not cut a stream that is slow between events', async () => {
    server.handlers.push((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
      setTimeout(() => res.end('data: 2\n\n'), 300);
    });
    const events = await drain(
      client({ firstByteMs: 50, bodyMs: 10_000 }).stream({ method: 'POST', path: '/completion' }),
    );
    assert.deepEqual(
      events.map((event) => event.data),
      ['1', '2'],
    );
  });

  it('a connect timeout names the connect timeout, and is worth another try', () => {
    const waits = { connectMs: 15_000, headersMs: 15_000, firstByte: true, bodyMs: 305_000 };
    const failure = transportFailure(
      Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
      'http://10.0.0.1:8080',
      undefined,
      waits,
    );
    assert.ok(failure.error instanceof TimeoutError);
    assert.equal(failure.error.phase satisfies TimeoutPhase | undefined, 'connect');
    assert.match(failure.error.message, /Could not connect to http:\/\/10\.0\.0\.1:8080 within 15 s/);
    assert.match(failure.error.message, CONNECT_KNOB);
    assert.equal(failure.retryable, true);
  });
});
