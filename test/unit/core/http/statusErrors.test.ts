import * as assert from 'node:assert/strict';
import { z } from 'zod';
import {
  AuthenticationError,
  BadRequestError,
  BusyError,
  InvalidResponseError,
  NotFoundError,
  QuotaError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '../../../../src/core/errors';
import {
  errorFromStatus,
  parseJsonReply,
  serverMessageFromBody,
} from '../../../../src/core/http/statusErrors';

describe('errorFromStatus', () => {
  it('maps each status to its typed error', () => {
    const cases: [number, new (...args: never[]) => Error][] = [
      [400, BadRequestError],
      [401, AuthenticationError],
      [403, AuthenticationError],
      [402, QuotaError],
      [404, NotFoundError],
      [408, TimeoutError],
      [504, TimeoutError],
      [429, RateLimitError],
      [503, BusyError],
      [500, ServerError],
      [502, ServerError],
      [501, ServerError],
    ];
    for (const [status, type] of cases) assert.ok(errorFromStatus(status, 'm') instanceof type, `${status}`);
  });

  it('keeps the server message of a 400 and the Retry-After of a 429', () => {
    const bad = errorFromStatus(400, 'n_predict must be positive');
    assert.ok(bad instanceof BadRequestError);
    assert.equal(bad.serverMessage, 'n_predict must be positive');
    const limited = errorFromStatus(429, '', { 'retry-after': '3' });
    assert.ok(limited instanceof RateLimitError);
    assert.equal(limited.retryAfterMs, 3000);
    assert.equal(limited.status, 429);
  });
});

describe('serverMessageFromBody', () => {
  it('reads the error bodies of llama.cpp, OpenAI, Aleph Alpha, FastAPI and plain-text proxies', () => {
    assert.equal(
      serverMessageFromBody('{"error":{"code":400,"message":"bad grammar","type":"invalid_request_error"}}'),
      'bad grammar',
    );
    assert.equal(serverMessageFromBody('{"error":"Unknown model","code":"UNKNOWN_MODEL"}'), 'Unknown model');
    assert.equal(serverMessageFromBody('{"object":"error","message":"too long","code":400}'), 'too long');
    assert.equal(serverMessageFromBody('{"detail":"Not Found"}'), 'Not Found');
    assert.equal(
      serverMessageFromBody('500 Internal Server Error\n[json.exception]'),
      '500 Internal Server Error [json.exception]',
    );
  });

  it('bounds the length of a huge body', () => {
    assert.ok(serverMessageFromBody('x'.repeat(10_000)).length <= 501);
  });
});

describe('parseJsonReply', () => {
  const schema = z.object({ tokens: z.array(z.number()) });

  it('ignores unknown fields', () => {
    assert.deepEqual(parseJsonReply('{"tokens":[1,2],"extra":true}', schema), { tokens: [1, 2] });
  });

  it('turns bad JSON and shape mismatches into InvalidResponseError keeping the raw body', () => {
    for (const body of ['{"tokens": [', '{"tokens":"1"}', '[]']) {
      assert.throws(
        () => parseJsonReply(body, schema, 200),
        (error: unknown) =>
          error instanceof InvalidResponseError && error.rawBody === body && error.status === 200,
      );
    }
  });
});
