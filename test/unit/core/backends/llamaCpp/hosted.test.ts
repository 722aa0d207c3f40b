/**
 * The hosted form of the llama-like API (a model served under `https://<host>/vm/<hash>/`): every
 * endpoint under the path prefix, the session cookie kept and sent back, and a repeated prompt sent
 * back to the slot that holds it with `cache_prompt: true`, on every server generation.
 */
import * as assert from 'node:assert/strict';
import { LlamaCppBackend } from '../../../../../src/core/backends/llamaCpp';
import { CookieJar } from '../../../../../src/core/http/cookieJar';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../../../fixtures/llamaCpp';

const PREFIX = '/vm/5f1c0de';
const PROMPT = `${'The cat sat on the mat and looked at the dog. '.repeat(8)}Then the cat`;

describe('llama.cpp behind a hosted path prefix with a session cookie', function () {
  this.timeout(60_000);
  let server: LlamaCppServerHandle;
  let backend: LlamaCppBackend;
  afterEach(async () => {
    await backend.close();
    await server.close();
  });

  for (const generation of ['current', '2025-02', '2024-03'] as const) {
    it(`${generation}: the second completion of an unchanged prompt processes at most 5 % of its prompt tokens`, async () => {
      server = await startLlamaCppServer({ generation, hosted: { pathPrefix: PREFIX } });
      const jar = new CookieJar();
      backend = new LlamaCppBackend({ url: server.url, cookies: jar });
      const request = { prompt: PROMPT, maxTokens: 3, temperature: 0 };
      const first = await backend.complete(request);
      const second = await backend.complete(request);
      const total = second.usage?.promptTokens ?? 0;
      const processed = second.usage?.promptTokensProcessed ?? total;
      assert.ok(total > 80, `${total} prompt tokens`);
      assert.ok(processed <= 0.05 * total, `${processed} of ${total} processed again`);
      assert.equal(first.usage?.promptTokensProcessed, total, 'the first one had nothing cached');
      // Every request went under the prefix, and all but the first carried the session cookie.
      assert.ok(server.requests.every((r) => r.path.startsWith(`${PREFIX}/`)));
      assert.ok(
        server.requests.slice(1).every((r) => String(r.headers.cookie ?? '').startsWith('vm_session=')),
      );
      assert.equal(jar.size, 1);
      const completions = server.requests.filter((r) => r.path === `${PREFIX}/completion`);
      const slotField = generation === '2024-03' ? 'slot_id' : 'id_slot';
      const [firstBody, secondBody] = completions.map((r) => r.body as Record<string, unknown>);
      assert.equal(firstBody?.[slotField], undefined, 'the server chose the first slot');
      assert.equal(typeof secondBody?.[slotField], 'number', `sent back as ${slotField}`);
      assert.equal(secondBody?.['cache_prompt'], true);
    });
  }

  it('without the slot the front end spreads requests, and without the cookie it refuses them', async () => {
    server = await startLlamaCppServer({ hosted: { pathPrefix: PREFIX } });
    backend = new LlamaCppBackend({ url: server.url });
    const refused = await fetch(`${server.url}/completion`, {
      method: 'POST',
      body: JSON.stringify({ prompt: PROMPT, n_predict: 1 }),
    });
    assert.equal(refused.status, 403, 'no cookie, no completion');
    const outside = await fetch(server.url.replace(PREFIX, '/props'));
    assert.equal(outside.status, 404, 'nothing outside the prefix');
    // Two requests of the same prompt naming no slot land on different slots (the reason to send it back).
    const first = await backend.complete({ prompt: PROMPT, maxTokens: 1, params: { id_slot: -1 } });
    const second = await backend.complete({ prompt: PROMPT, maxTokens: 1, params: { id_slot: -1 } });
    assert.equal(second.usage?.promptTokensProcessed, first.usage?.promptTokensProcessed);
  });
});
