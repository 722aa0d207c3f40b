import * as assert from 'node:assert/strict';
import { LlamaCppBackend } from '../../../../src/core/backends/llamaCpp';
import { OpenAiBackend } from '../../../../src/core/backends/openai';
import { cosineSimilarity, embedTexts } from '../../../../src/core/embeddings';
import { UnsupportedError } from '../../../../src/core/errors';
import { startLlamaCppServer } from '../../../fixtures/llamaCpp';
import { startOpenAiServer } from '../../../fixtures/openai/server';
import { startHarness } from '../backends/alephAlpha/harness';

describe('embeddings on every backend', () => {
  it('llama.cpp: /embedding with {content}, the pooled row of a current server', async () => {
    const server = await startLlamaCppServer({ embeddings: true });
    const backend = new LlamaCppBackend({ url: server.url });
    try {
      const result = await embedTexts(backend, { texts: ['Paris is nice', 'Paris is nice'] });
      assert.equal(result.embeddings.length, 2);
      assert.equal(result.embeddings[0]?.length, 32);
      assert.ok(Math.abs(cosineSimilarity(result.embeddings[0]!, result.embeddings[1]!) - 1) < 1e-12);
      assert.deepEqual(
        server.requests.filter((r) => r.path === '/embedding').map((r) => r.body),
        [{ content: 'Paris is nice' }, { content: 'Paris is nice' }],
      );
    } finally {
      await backend.close();
      await server.close();
    }
  });

  it("llama.cpp: per-token rows (--pooling none) are mean-pooled; an old server's {embedding} is read too", async () => {
    for (const options of [{ embeddingPooling: 'none' as const }, { legacy: true }]) {
      const server = await startLlamaCppServer({ embeddings: true, ...options });
      const backend = new LlamaCppBackend({ url: server.url });
      try {
        const [vector] = (await embedTexts(backend, { texts: ['a b c'] })).embeddings;
        assert.equal(vector?.length, 32);
        assert.ok(vector!.some((x) => x !== 0));
      } finally {
        await backend.close();
        await server.close();
      }
    }
  });

  it('llama.cpp without --embeddings: an UnsupportedError that says to start it with --embeddings', async () => {
    const server = await startLlamaCppServer();
    const backend = new LlamaCppBackend({ url: server.url, retry: { maxRetries: 0 } });
    try {
      await assert.rejects(embedTexts(backend, { texts: ['x'] }), (error: unknown) => {
        assert.ok(error instanceof UnsupportedError);
        assert.match(error.message, /Start llama-server with --embeddings/);
        return true;
      });
    } finally {
      await backend.close();
      await server.close();
    }
  });

  it('OpenAI-compatible: one /v1/embeddings request with every text, vectors in input order', async () => {
    const server = await startOpenAiServer();
    const backend = new OpenAiBackend({ url: `${server.url}/v1`, model: 'test-model' });
    try {
      const result = await embedTexts(backend, { texts: ['red apple', 'green pear', 'red apple'] });
      assert.equal(result.calls, 1);
      assert.equal(result.embeddings.length, 3);
      assert.ok(Math.abs(cosineSimilarity(result.embeddings[0]!, result.embeddings[2]!) - 1) < 1e-12);
      assert.ok(cosineSimilarity(result.embeddings[0]!, result.embeddings[1]!) < 0.99);
      assert.deepEqual(server.requests.at(-1)?.body, {
        input: ['red apple', 'green pear', 'red apple'],
        model: 'test-model',
      });
    } finally {
      await backend.close();
      await server.close();
    }
  });

  it('Aleph Alpha: /batch_semantic_embed, symmetric unless asked otherwise', async () => {
    const h = await startHarness();
    try {
      const result = await embedTexts(h.backend, { texts: ['hello', 'world'] });
      assert.equal(result.embeddings.length, 2);
      const body = h.server.requests.at(-1)?.body as Record<string, unknown>;
      assert.equal(h.server.requests.at(-1)?.path, '/batch_semantic_embed');
      assert.equal(body['representation'], 'symmetric');
    } finally {
      await h.close();
    }
  });

  it('cosine similarity refuses vectors of different sizes', () => {
    assert.throws(() => cosineSimilarity([1, 0], [1, 0, 0]), /different sizes/);
    assert.equal(cosineSimilarity([0, 0], [1, 0]), 0);
  });
});
