import * as assert from 'node:assert/strict';
import type { ExplainResult } from '../../../../src/core/backend';
import { LlamaCppBackend } from '../../../../src/core/backends/llamaCpp';
import { CancelledError } from '../../../../src/core/errors';
import { planExplanation } from '../../../../src/core/explain/index';
import { promptTokenLowerBound } from '../../../../src/core/explain/lowerBound';
import { explainByOcclusion } from '../../../../src/core/explain/occlusion';
import { OCCLUSION_STRATEGIES, type OcclusionStrategy } from '../../../../src/core/explain/schedule';
import { segment } from '../../../../src/core/segment';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../../fixtures/llamaCpp';
import { assertClose, bruteForceScores, deleteSpan, modelScore } from './bruteForce';
import { longPrompt } from './longPrompt';

const TARGET = ' The cat sat on the mat';

/** The least prompt-token work for this prompt's occlusion run, from the model's own tokenization. */
function lowerBound(
  server: LlamaCppServerHandle,
  prompt: string,
  spans: { start: number; length: number }[],
): number {
  const prompts = [prompt, ...spans.map((s) => deleteSpan(prompt, s.start, s.length))];
  return promptTokenLowerBound(prompts.map((p) => modelScore(server.model, p, TARGET).promptIds));
}

/** Deletions whose scored prompt is a prefix of the full prompt's (deleting the last segment can do that). */
function heldWhole(
  server: LlamaCppServerHandle,
  prompt: string,
  spans: { start: number; length: number }[],
): number {
  const full = modelScore(server.model, prompt, TARGET).promptIds;
  return spans.filter((s) => {
    const ids = modelScore(server.model, deleteSpan(prompt, s.start, s.length), TARGET).promptIds;
    return ids.every((id, i) => full[i] === id);
  }).length;
}

function scoresOf(result: ExplainResult): number[] {
  const item = result.explanations[0]?.items[0];
  assert.ok(item?.type === 'text');
  return item.scores.map((s) => s.score);
}

describe('explain by occlusion: scheduling, cost and cancellation', function () {
  this.timeout(60_000);
  const prompt = longPrompt(30, 18);
  const spans = segment(prompt, { type: 'sentence' });
  let server: LlamaCppServerHandle;
  let backend: LlamaCppBackend;
  afterEach(async () => {
    await backend?.close();
    await server?.close();
  });
  const start = async (slots = 2, msPerPromptToken = 0) => {
    server = await startLlamaCppServer({ slots, msPerPromptToken });
    backend = new LlamaCppBackend({ url: server.url });
    // The scoring-method probe runs once per server: done here, so the counts below are the explanation's.
    await backend.scoringMethods();
    server.resetStats();
    server.clearSlots();
    server.requests.length = 0;
  };

  it('the benchmark prompt has 30 sentences of about 20 tokens and picks sentence granularity by itself', async () => {
    await start();
    assert.equal(spans.length, 30);
    const tokens = modelScore(server.model, prompt, TARGET).promptIds.length;
    assert.ok(tokens > 450 && tokens < 750, `${tokens} tokens`);
    const plan = await planExplanation(backend, { prompt, target: TARGET });
    assert.deepEqual(plan.granularity, { type: 'sentence' });
    assert.equal(plan.calls, 31);
  });

  for (const strategy of OCCLUSION_STRATEGIES) {
    it(`${strategy}: same scores as brute force, cost reported as the server counted it, near the lower bound`, async () => {
      await start();
      const result = await explainByOcclusion(
        backend,
        { prompt, target: TARGET, granularity: { type: 'sentence' } },
        { strategy },
      );
      assertClose(scoresOf(result), bruteForceScores(server.model, prompt, TARGET, spans));
      const stats = server.stats();
      assert.equal(result.cost?.calls, 31);
      assert.equal(result.cost?.promptTokensProcessed, stats.promptTokensProcessed);
      assert.equal(stats.completionRequests, 31, 'prompts scored');
      const httpRequests = server.requests.filter((r) => r.path === '/completion').length;
      // A batch sends every prompt whose target tokenizes alike in one request, the others alone.
      if (strategy === 'batch') assert.ok(httpRequests <= 2, `${httpRequests} requests`);
      else assert.equal(httpRequests, 31);
      const bound = lowerBound(server, prompt, spans);
      const ratio = stats.promptTokensProcessed / bound;
      // One slot, full prompt first, then the last segment first: the bound, plus one token per prompt
      // the cache already held whole (the server re-evaluates a prompt's last token even then).
      if (strategy === 'sequential')
        assert.equal(stats.promptTokensProcessed, bound + heldWhole(server, prompt, spans));
      // A batch leaves the slots to the server; a prompt it must score alone (its end merges with the
      // target) then meets a slot holding another deletion: at most about one prompt more.
      else
        assert.ok(
          ratio <= (strategy === 'batch' ? 1.1 : 1.05),
          `${strategy}: ${stats.promptTokensProcessed} tokens, bound ${bound} (${ratio.toFixed(3)}×)`,
        );
    });
  }

  it('scoring deletions in prompt order instead processes more (why the order matters)', async () => {
    await start(1);
    // The same 31 prompts on one slot, first segment first: each deletion re-processes from the
    // previous deletion's start, not its own (one more segment each).
    const prompts = [prompt, ...spans.map((s) => deleteSpan(prompt, s.start, s.length))];
    for (const p of prompts) await backend.evaluate({ prompt: p, expected: TARGET, slot: 0 });
    const inPromptOrder = server.stats().promptTokensProcessed;
    const bound = lowerBound(server, prompt, spans);
    assert.ok(inPromptOrder > 1.05 * bound, `${inPromptOrder} vs bound ${bound}`);
  });

  it('the default uses every slot and stays within 1.05× the lower bound', async () => {
    await start(2);
    const plan = await planExplanation(backend, { prompt, target: TARGET });
    assert.equal(plan.strategy, 'concurrent');
    await explainByOcclusion(backend, { prompt, target: TARGET, granularity: { type: 'sentence' } });
    const slotsUsed = new Set(
      server.requests
        .filter((r) => r.path === '/completion')
        .map((r) => (r.body as { id_slot?: number }).id_slot),
    );
    assert.deepEqual([...slotsUsed].sort(), [0, 1]);
    assert.ok(server.stats().promptTokensProcessed <= 1.05 * lowerBound(server, prompt, spans));
  });

  it('on a 4-slot server the default uses no more slots than keep it within 1.05× the lower bound', async () => {
    await start(4);
    await explainByOcclusion(backend, { prompt, target: TARGET, granularity: { type: 'sentence' } });
    const slotsUsed = new Set(
      server.requests
        .filter((r) => r.path === '/completion')
        .map((r) => (r.body as { id_slot?: number }).id_slot),
    );
    assert.ok(slotsUsed.size >= 2, `${slotsUsed.size} slots used`);
    const ratio = server.stats().promptTokensProcessed / lowerBound(server, prompt, spans);
    assert.ok(ratio <= 1.05, `${ratio.toFixed(3)}× the bound`);
  });

  it('a one-slot server gets the sequential schedule, pinned to its slot', async () => {
    await start(1);
    const plan = await planExplanation(backend, { prompt, target: TARGET });
    assert.equal(plan.strategy, 'sequential');
  });

  for (const strategy of ['sequential', 'concurrent'] as OcclusionStrategy[]) {
    it(`${strategy}: cancelling mid-run stops it, and no request reaches the server after the abort`, async () => {
      await start(2, 0.2);
      const abort = new AbortController();
      let completionsAtAbort = -1;
      let requestsAtAbort = -1;
      const run = explainByOcclusion(
        backend,
        {
          prompt,
          target: TARGET,
          granularity: { type: 'sentence' },
          signal: abort.signal,
          onProgress: (done) => {
            if (done === 5 && !abort.signal.aborted) {
              requestsAtAbort = server.requests.length;
              completionsAtAbort = server.stats().completionRequests;
              abort.abort();
            }
          },
        },
        { strategy },
      );
      await assert.rejects(run, CancelledError);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok(completionsAtAbort >= 5);
      // Sequential: nothing after the abort. Concurrent: at most the other slot's call already under way.
      const inFlight = strategy === 'sequential' ? 0 : 1;
      assert.ok(
        server.requests.length <= requestsAtAbort + inFlight,
        `${server.requests.length - requestsAtAbort} requests after the abort`,
      );
      assert.ok(server.stats().completionRequests < 31);
    });
  }

  it('an already aborted signal sends nothing', async () => {
    await start();
    const abort = new AbortController();
    abort.abort();
    server.requests.length = 0;
    await assert.rejects(
      explainByOcclusion(backend, {
        prompt,
        target: TARGET,
        granularity: { type: 'sentence' },
        signal: abort.signal,
      }),
      (error: unknown) =>
        error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError'),
    );
    assert.equal(server.requests.filter((r) => r.path === '/completion').length, 0);
  });
});
