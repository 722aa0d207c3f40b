import * as assert from 'node:assert/strict';
import { serverTokenize } from '../../../../fixtures/alephAlpha';
import { startHarness, type Harness } from './harness';

describe('AlephAlphaBackend: embeddings', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('embeds with layers and pooling, negative layers resolved by the server', async () => {
    const result = await h.backend.embed({
      prompt: 'Hello world',
      layers: [0, -1],
      pooling: ['mean', 'max'],
      tokens: true,
      normalize: true,
    });
    assert.deepEqual(Object.keys(result.embeddings).sort(), ['layer_0', 'layer_4']);
    assert.deepEqual(Object.keys(result.embeddings['layer_0'] ?? {}).sort(), ['max', 'mean']);
    const mean = result.embeddings['layer_4']?.['mean'] ?? [];
    assert.ok(Math.abs(Math.hypot(...mean) - 1) < 1e-9);
    assert.deepEqual(result.tokens, ['Hello', ' world']);
    assert.equal(result.promptTokens, 2);
    assert.deepEqual(h.server.requests[0]?.body, {
      model: 'luminous-base',
      prompt: [{ type: 'text', data: 'Hello world' }],
      layers: [0, -1],
      pooling: ['mean', 'max'],
      tokens: true,
      normalize: true,
    });
  });

  it('semantic_embed: representation, compression and normalization', async () => {
    const full = await h.backend.semanticEmbed({ prompt: 'Hello', representation: 'symmetric' });
    const compressed = await h.backend.semanticEmbed({
      prompt: 'Hello',
      representation: 'query',
      compressToSize: 128,
      normalize: true,
      controlLogAdditive: true,
    });
    assert.equal(full.embedding.length, 256);
    assert.equal(compressed.embedding.length, 128);
    assert.ok(Math.abs(Math.hypot(...compressed.embedding) - 1) < 1e-9);
    assert.deepEqual(h.server.requests[1]?.body, {
      model: 'luminous-base',
      prompt: [{ type: 'text', data: 'Hello' }],
      representation: 'query',
      compress_to_size: 128,
      normalize: true,
      control_log_additive: true,
    });
  });

  it('batch_semantic_embed: 250 prompts in 3 requests of at most 100, results in order', async () => {
    const prompts = Array.from({ length: 250 }, (_, i) => `prompt number ${i}`);
    const hold = h.server.hold('batch_semantic_embed');
    const pending = h.backend.batchSemanticEmbed({ prompts, representation: 'document', concurrency: 2 });
    // Two requests are held by the server; with a bound of 2 the third cannot start yet.
    await hold.waitForHeld(2);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(hold.held, 2);
    // Answer the second chunk first: the result must still be in prompt order.
    hold.release('newest');
    await hold.waitForHeld(2);
    hold.stop();
    const result = await pending;

    const batches = h.server.requests.filter((r) => r.endpoint === 'batch_semantic_embed');
    assert.deepEqual(
      batches.map((r) => ((r.body as { prompts: unknown[] }).prompts ?? []).length),
      [100, 100, 50],
    );
    assert.equal(h.server.maxInFlight('batch_semantic_embed'), 2);
    assert.equal(result.embeddings.length, 250);
    for (const i of [0, 99, 100, 199, 200, 249]) {
      const single = await h.backend.semanticEmbed({ prompt: prompts[i] ?? '', representation: 'document' });
      assert.deepEqual(result.embeddings[i], single.embedding, `prompt ${i}`);
    }
    const promptTokens = prompts.reduce((sum, p) => sum + serverTokenize(p).length, 0);
    assert.equal(result.promptTokens, promptTokens);
  });

  it('batch_semantic_embed honours a smaller batch size and never exceeds 100', async () => {
    const prompts = Array.from({ length: 45 }, (_, i) => `p${i}`);
    await h.backend.batchSemanticEmbed({ prompts, representation: 'symmetric', batchSize: 20 });
    await h.backend.batchSemanticEmbed({
      prompts: [...prompts, ...prompts, ...prompts],
      representation: 'symmetric',
      batchSize: 500,
    });
    const sizes = h.server.requests.map((r) => (r.body as { prompts: unknown[] }).prompts.length);
    assert.deepEqual(sizes, [20, 20, 5, 100, 35]);
  });
});
