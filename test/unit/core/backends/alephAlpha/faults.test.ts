import * as assert from 'node:assert/strict';
import {
  AuthenticationError,
  BusyError,
  CancelledError,
  ConnectionError,
  ContextOverflowError,
  InvalidResponseError,
  NotFoundError,
  QuotaError,
  RateLimitError,
  TimeoutError,
  UnsupportedError,
} from '../../../../../src/core/errors';
import { collect, startHarness, type Harness } from './harness';

const completeRequests = (h: Harness) => h.server.requests.filter((r) => r.endpoint === 'complete').length;

describe('AlephAlphaBackend: errors and faults', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('retries a 503 and then succeeds', async () => {
    h.server.setFaults({ statuses: [{ status: 503 }] });
    const result = await h.backend.complete({ prompt: 'Hello', maxTokens: 2 });
    assert.equal(result.completions.length, 1);
    assert.equal(completeRequests(h), 2);
    assert.equal(h.sleeps.length, 1);
  });

  it('gives BusyError once retries are used up', async () => {
    h.server.setFaults({ statuses: [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }] });
    const error = await h.backend.complete({ prompt: 'Hello', maxTokens: 2 }).catch((e: unknown) => e);
    assert.ok(error instanceof BusyError, String(error));
    assert.match(error.message, /queue is full/);
    assert.equal(completeRequests(h), 4);
  });

  it('maps a plain-text 503 from a proxy to BusyError', async () => {
    h.server.setFaults({
      statuses: [1, 2, 3, 4].map(() => ({
        status: 503,
        body: 'No server is available to handle this request.',
        contentType: 'text/plain',
      })),
    });
    await assert.rejects(h.backend.tokenize({ text: 'Hello' }), BusyError);
  });

  it('honours Retry-After on 429', async () => {
    h.server.setFaults({ statuses: [{ status: 429, retryAfter: 2 }] });
    await h.backend.tokenize({ text: 'Hello' });
    assert.deepEqual(h.sleeps, [2000]);
  });

  it('gives RateLimitError with the wait when 429 persists', async () => {
    h.server.setFaults({ statuses: [1, 2, 3, 4].map(() => ({ status: 429, retryAfter: 1 })) });
    const error = await h.backend.tokenize({ text: 'Hello' }).catch((e: unknown) => e);
    assert.ok(error instanceof RateLimitError, String(error));
    assert.equal(error.retryAfterMs, 1000);
  });

  it('401 is an AuthenticationError, not retried', async () => {
    const wrong = h.backendWith({ token: 'wrong-token' });
    await assert.rejects(wrong.complete({ prompt: 'Hello', maxTokens: 1 }), AuthenticationError);
    assert.equal(h.server.requests.length, 1);
  });

  it('402 is a QuotaError, not retried', async () => {
    h.server.setFaults({ statuses: [{ status: 402 }] });
    await assert.rejects(h.backend.complete({ prompt: 'Hello', maxTokens: 1 }), QuotaError);
    assert.equal(h.server.requests.length, 1);
  });

  it('a prompt longer than the context is a ContextOverflowError with the numbers', async () => {
    const error = await h.backend
      .complete({ prompt: 'x'.repeat(30), maxTokens: 5, model: 'tiny' })
      .catch((e: unknown) => e);
    assert.ok(error instanceof ContextOverflowError, String(error));
    assert.equal(error.promptTokens, 30);
    assert.equal(error.contextSize, 32);
    assert.equal(error.status, 400);
  });

  it('an unknown model is a NotFoundError naming it', async () => {
    const error = await h.backend
      .complete({ prompt: 'Hello', maxTokens: 1, model: 'nope' })
      .catch((e: unknown) => e);
    assert.ok(error instanceof NotFoundError, String(error));
    assert.match(error.message, /nope/);
  });

  it('a missing capability is an UnsupportedError', async () => {
    await assert.rejects(
      h.backend.semanticEmbed({ prompt: 'Hello', representation: 'symmetric', model: 'tiny' }),
      UnsupportedError,
    );
  });

  it('malformed JSON is an InvalidResponseError keeping the raw body', async () => {
    h.server.setFaults({ malformedJson: '{"completions": [' });
    const error = await h.backend.complete({ prompt: 'Hello', maxTokens: 1 }).catch((e: unknown) => e);
    assert.ok(error instanceof InvalidResponseError, String(error));
    assert.equal(error.rawBody, '{"completions": [');
  });

  it('a reply of the wrong shape is an InvalidResponseError', async () => {
    h.server.setFaults({ malformedJson: '{"completions": [{"completion": 5}]}' });
    await assert.rejects(h.backend.complete({ prompt: 'Hello', maxTokens: 1 }), InvalidResponseError);
  });

  for (const mode of ['destroy', 'end'] as const) {
    it(`a stream cut after some events (${mode}) is a typed error after the delivered deltas`, async () => {
      h.server.setFaults({ streamCut: { afterEvents: 2, mode } });
      const deltas: unknown[] = [];
      const error = await (async () => {
        for await (const delta of h.backend.stream({ prompt: 'Hello', maxTokens: 5 })) deltas.push(delta);
      })().catch((e: unknown) => e);
      assert.ok(error instanceof ConnectionError, String(error));
      assert.equal(deltas.length, 2);
      assert.equal(completeRequests(h), 1, 'not retried once events were delivered');
    });
  }

  it('a stream refused before it starts is retried', async () => {
    h.server.setFaults({ statuses: [{ status: 503 }] });
    const deltas = await collect(h.backend.stream({ prompt: 'Hello', maxTokens: 2 }));
    assert.equal(deltas[deltas.length - 1]?.finishReason, 'length');
    assert.equal(completeRequests(h), 2);
  });

  it('a cancelled request is a CancelledError', async () => {
    const hold = h.server.hold('complete');
    const controller = new AbortController();
    const pending = h.backend.complete({ prompt: 'Hello', maxTokens: 1, signal: controller.signal });
    await hold.waitForHeld(1);
    controller.abort();
    await assert.rejects(pending, CancelledError);
  });

  it('slow headers: a GET hits the short first-byte wait, a completion without streaming the generation timeout', async () => {
    h.server.setFaults({ slowHeadersMs: 10_000 });
    const impatient = h.backendWith({ timeouts: { firstByteMs: 50, headersMs: 60_000 } });
    await assert.rejects(impatient.version(), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.phase, 'first-byte');
      assert.match(error.message, /promptLens\.http\.connectTimeoutSeconds, CLI --connect-timeout/);
      return true;
    });
    const patientFirstByte = h.backendWith({ timeouts: { firstByteMs: 60_000, headersMs: 50 } });
    await assert.rejects(patientFirstByte.complete({ prompt: 'Hello', maxTokens: 1 }), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.phase, 'headers');
      assert.match(error.message, /promptLens\.http\.timeoutSeconds, CLI --timeout/);
      return true;
    });
  });
});
