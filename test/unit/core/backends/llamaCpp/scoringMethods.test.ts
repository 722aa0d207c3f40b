/**
 * Scoring chosen by what the server can do: each server generation of the test server gets its
 * cheapest exact method, agrees with the toy model's token-by-token ground truth, and reports the
 * method and its cost; an unexpected reply moves to the next method, never to a wrong number.
 */
import * as assert from 'node:assert/strict';
import { LlamaCppBackend } from '../../../../../src/core/backends/llamaCpp';
import { forgetScoringPlans } from '../../../../../src/core/backends/llamaCpp/scoringPlan';
import {
  startLlamaCppServer,
  type LlamaCppGeneration,
  type LlamaCppServerHandle,
} from '../../../../fixtures/llamaCpp';

const PROMPT = 'The quick brown fox jumps over the lazy dog. The cat sat on the';
/** Five tokens after the prompt on the toy model's vocabulary. */
const TARGET = ' mat and the dog ran';

function groundTruth(server: LlamaCppServerHandle, prompt: string, expected: string): number[] {
  const model = server.model;
  const joint = model.tokenize(prompt + expected, { addSpecial: true, parseSpecial: true });
  const alone = model.tokenize(prompt, { addSpecial: true, parseSpecial: true });
  let n = 0;
  while (n < alone.length && joint[n] === alone[n]) n++;
  return joint.slice(n).map((id, k) => model.logProbs(joint.slice(0, n + k))[id] ?? Number.NaN);
}

const EXPECTED: Record<LlamaCppGeneration, { method: string; maxRequests: number }> = {
  current: { method: 'token-id-grammar', maxRequests: 1 },
  '2025-02': { method: 'string-grammar-bias', maxRequests: 3 },
  '2024-03': { method: 'full-vocabulary', maxRequests: 10 },
};

describe('llama.cpp scoring methods by server generation', function () {
  this.timeout(60_000);
  let server: LlamaCppServerHandle;
  let backend: LlamaCppBackend;
  const start = async (generation: LlamaCppGeneration) => {
    forgetScoringPlans();
    server = await startLlamaCppServer({ generation });
    backend = new LlamaCppBackend({ url: server.url });
  };
  afterEach(async () => {
    await backend.close();
    await server.close();
  });

  for (const generation of ['current', '2025-02', '2024-03'] as const) {
    it(`${generation}: ${EXPECTED[generation].method}, equal to token-by-token ground truth, cost as counted`, async () => {
      await start(generation);
      const truth = groundTruth(server, PROMPT, TARGET);
      assert.equal(truth.length, 5, 'a 5-token target');
      const first = await backend.evaluate({ prompt: PROMPT, expected: TARGET });
      assert.equal(first.tokenCount, 5);
      first.tokens.forEach((t, k) => assert.ok(Math.abs(t.logprob - (truth[k] ?? 0)) < 1e-3, `token ${k}`));
      const sum = truth.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(first.logProbability - sum) < 1e-3, `${first.logProbability} vs ${sum}`);
      assert.equal(first.cost?.method, EXPECTED[generation].method);
      // The first score also pays for the once-per-server probe (none on an old server).
      const probe = generation === '2024-03' ? 0 : 2;
      assert.equal(first.cost?.probeRequests ?? 0, probe);
      assert.equal(first.cost?.requests, server.stats().completionRequests);
      assert.equal(first.cost?.promptTokensProcessed, server.stats().promptTokensProcessed);

      server.resetStats();
      const second = await backend.evaluate({ prompt: PROMPT, expected: TARGET });
      assert.ok(Math.abs(second.logProbability - sum) < 1e-3);
      assert.equal(second.cost?.probeRequests, undefined, 'probed once per server');
      assert.equal(second.cost?.requests, server.stats().completionRequests);
      assert.ok(
        (second.cost?.requests ?? 99) <= EXPECTED[generation].maxRequests,
        `${second.cost?.requests} requests`,
      );
      assert.equal(server.stats().fatalRequests, 0, 'nothing that would crash an old server');
    });
  }

  it('2025-02: the token-id grammar is probed, silently ignored there (HTTP 200), and never used', async () => {
    await start('2025-02');
    assert.deepEqual(await backend.scoringMethods(), [
      'string-grammar-bias',
      'token-bias',
      'full-vocabulary',
    ]);
    const grammars = server.requests
      .map((r) => (r.body as { grammar?: string }).grammar)
      .filter((g): g is string => typeof g === 'string');
    assert.ok(
      grammars.some((g) => g.includes('<[')),
      'the token-id grammar was tried',
    );
  });

  it('a server replaced by an older build: the unexpected reply moves to the next method, then it is probed again', async () => {
    await start('current');
    const truth = groundTruth(server, PROMPT, TARGET).reduce((a, b) => a + b, 0);
    assert.equal(
      (await backend.evaluate({ prompt: PROMPT, expected: TARGET })).cost?.method,
      'token-id-grammar',
    );
    server.setGeneration('2025-02');
    const moved = await backend.evaluate({ prompt: PROMPT, expected: TARGET });
    assert.ok(Math.abs(moved.logProbability - truth) < 1e-3, 'the right number, not the free text');
    assert.equal(moved.cost?.method, 'string-grammar-bias');
    const reprobed = await backend.evaluate({ prompt: PROMPT, expected: TARGET });
    assert.equal(reprobed.cost?.probeRequests, 2, 'a new identity (/props build_info) is probed');
    assert.ok(Math.abs(reprobed.logProbability - truth) < 1e-3);
  });

  it('a server busy during the probe: the score fails as busy, nothing is cached, the next one probes again', async () => {
    await start('current');
    // Retry-After beyond what the client waits on its own: the probe's first request gets the 503.
    server.setFaults({ statuses: [{ status: 503, retryAfter: 120 }], paths: ['/completion'] });
    await assert.rejects(backend.evaluate({ prompt: PROMPT, expected: TARGET }), { kind: 'busy' });
    const again = await backend.evaluate({ prompt: PROMPT, expected: TARGET });
    assert.equal(again.cost?.method, 'token-id-grammar', 'the cheapest method, not a fallback');
    assert.equal(again.cost?.probeRequests, 2, 'probed again');
    assert.deepEqual(await backend.scoringMethods(), [
      'token-id-grammar',
      'string-grammar-bias',
      'token-bias',
      'full-vocabulary',
    ]);
  });

  it('2025-02: batch scoring gives the numbers of one-by-one scoring', async () => {
    await start('2025-02');
    const prompts = [PROMPT, 'A dog sat on the', 'The cat sat on the'];
    const batch = await backend.evaluateBatch(prompts, TARGET);
    for (const [i, prompt] of prompts.entries()) {
      const truth = groundTruth(server, prompt, TARGET).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs((batch[i]?.logProbability ?? 0) - truth) < 1e-3, `prompt ${i}`);
    }
  });

  it('a target whose pieces split where the grammar cannot force them is re-scored, not misread', async () => {
    await start('2025-02');
    // " an" and " and" are both target tokens and both fit the text where " and" starts.
    await backend.scoringMethods();
    const target = ' an and';
    const truth = groundTruth(server, PROMPT, target).reduce((a, b) => a + b, 0);
    const result = await backend.evaluate({ prompt: PROMPT, expected: target });
    assert.ok(Math.abs(result.logProbability - truth) < 1e-3, `${result.logProbability} vs ${truth}`);
    const scoring = result.cost?.requests ?? 0;
    assert.ok(scoring > 1, `the forced tokens left the target and were scored again (${scoring} requests)`);
  });
});
