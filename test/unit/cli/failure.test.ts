import * as assert from 'node:assert/strict';
import { withCliTimeoutAdvice } from '../../../src/cli/failure';

describe('CLI timeout advice', () => {
  it('replaces the advice to raise the editor setting with --timeout', () => {
    assert.equal(
      withCliTimeoutAdvice(
        'http://127.0.0.1:8080 did not start answering in time. Try again, or raise the timeout in the settings.',
        5,
      ),
      'http://127.0.0.1:8080 did not start answering in time. Try again, or give a longer --timeout SECONDS (now 5).',
    );
  });

  it('keeps only the flag where a message names both the setting and the flag', () => {
    assert.equal(
      withCliTimeoutAdvice(
        'http://127.0.0.1:8080 did not finish answering within 2 s, the deadline of one request. Try again, or raise the deadline (promptLens.http.deadlineSeconds, CLI --deadline).',
        5,
      ),
      'http://127.0.0.1:8080 did not finish answering within 2 s, the deadline of one request. Try again, or raise the deadline (--deadline).',
    );
    assert.match(
      withCliTimeoutAdvice(
        'http://127.0.0.1:8080 accepted the connection but sent nothing within 15 s (the connect timeout: promptLens.http.connectTimeoutSeconds, CLI --connect-timeout).',
        5,
      ),
      /sent nothing within 15 s \(the connect timeout: --connect-timeout\)\.$/,
    );
  });

  it('keeps other advice: the proxy', () => {
    for (const message of [
      'The proxy at http://127.0.0.1:3128 accepted the connection but never answered (waited 10 s). Check the proxy setting, or try without the proxy.',
    ])
      assert.equal(withCliTimeoutAdvice(message, 5), message);
  });
});
