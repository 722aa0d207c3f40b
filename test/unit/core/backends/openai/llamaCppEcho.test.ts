/**
 * An OpenAI-compatible profile pointed at a February-2025 llama.cpp server, whose /v1/completions
 * answers HTTP 500 "Unsupported param: echo": no retry, a message saying what the server cannot do,
 * and the offer of the llama.cpp kind (editor action, CLI hint).
 */
import * as assert from 'node:assert/strict';
import { OpenAiBackend } from '../../../../../src/core/backends/openai';
import { UnsupportedError } from '../../../../../src/core/errors';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../../../fixtures/llamaCpp';
import { runCli } from '../../../cli/runCli';

describe('OpenAI-compatible profile on a llama.cpp server that refuses echo', function () {
  this.timeout(30_000);
  let server: LlamaCppServerHandle;
  beforeEach(async () => {
    server = await startLlamaCppServer({ generation: '2025-02' });
  });
  afterEach(async () => server.close());

  it('evaluate fails at once (one request, no retry) and offers the llama.cpp kind', async () => {
    const backend = new OpenAiBackend({ url: `${server.url}/v1`, retry: { maxRetries: 3, baseDelayMs: 1 } });
    const error = await backend.evaluate({ prompt: 'The cat sat on the', expected: ' mat' }).then(
      () => assert.fail('no score from a server that cannot echo'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof UnsupportedError, String(error));
    assert.equal(error.suggestedKind, 'llama-cpp');
    assert.match(error.message, /refuses `echo`/);
    assert.match(error.message, /llama\.cpp kind/);
    assert.doesNotMatch(error.message, /Try again/);
    assert.equal(server.requests.filter((r) => r.path === '/v1/completions').length, 1, 'not retried');
    await backend.close();
  });

  it('the CLI says so on one line and hints at --backend llama-cpp, which then scores', async () => {
    const openai = await runCli([
      'evaluate',
      '--backend',
      'openai',
      '--url',
      `${server.url}/v1`,
      '--prompt',
      'The cat sat on the',
      '--expected',
      ' mat',
    ]);
    assert.equal(openai.code, 3);
    assert.match(openai.stderr, /refuses `echo`/);
    assert.match(openai.stderr, /hint: .*--backend llama-cpp/);
    const llama = await runCli([
      'evaluate',
      '--backend',
      'llama-cpp',
      '--url',
      server.url,
      '--prompt',
      'The cat sat on the',
      '--expected',
      ' mat',
      '--json',
    ]);
    assert.equal(llama.code, 0, llama.stderr);
    const result = JSON.parse(llama.stdout) as { cost?: { method: string } };
    assert.equal(result.cost?.method, 'string-grammar-bias');
  });
});
