import * as assert from 'node:assert/strict';
import {
  DEFAULT_RETRY,
  RETRYABLE_STATUSES,
  backoffDelayMs,
  parseRetryAfterMs,
} from '../../../../src/core/http/retryPolicy';

describe('retry policy', () => {
  it('retries exactly 408, 429, 500, 502, 503 and 504', () => {
    assert.deepEqual([...RETRYABLE_STATUSES].sort(), [408, 429, 500, 502, 503, 504]);
    for (const status of [400, 401, 402, 403, 404, 501])
      assert.ok(!RETRYABLE_STATUSES.has(status), String(status));
  });

  it('keeps full-jitter delays within [0, min(max, base * 2^n))', () => {
    const settings = { maxRetries: 8, baseDelayMs: 500, maxDelayMs: 30_000 };
    for (let n = 0; n < 10; n++) {
      const ceiling = Math.min(30_000, 500 * 2 ** n);
      assert.equal(
        backoffDelayMs(n, settings, () => 0),
        0,
      );
      const top = backoffDelayMs(n, settings, () => 0.999_999);
      assert.ok(top < ceiling && top >= ceiling - 1, `retry ${n}: ${top} vs ${ceiling}`);
      assert.equal(
        backoffDelayMs(n, settings, () => 0.5),
        Math.floor(ceiling / 2),
      );
    }
  });

  it('defaults to three retries', () => {
    assert.equal(DEFAULT_RETRY.maxRetries, 3);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-21T08:00:00Z');
    assert.equal(parseRetryAfterMs('2', now), 2000);
    assert.equal(parseRetryAfterMs(' 0 ', now), 0);
    assert.equal(parseRetryAfterMs('1.5', now), 1500);
    assert.equal(parseRetryAfterMs('Sat, 21 Nov 2026 08:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfterMs('Sat, 21 Nov 2026 07:59:00 GMT', now), 0);
    assert.equal(parseRetryAfterMs('soon', now), undefined);
    assert.equal(parseRetryAfterMs(undefined, now), undefined);
    assert.equal(parseRetryAfterMs('', now), undefined);
  });
});
