import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AlephAlphaBackend } from '../../../../../src/core/backends/alephAlpha';
import { startHarness, TOKEN, type Harness } from './harness';

describe('AlephAlphaBackend: tokens, models, version, headers', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('declares its capabilities as data', async () => {
    assert.deepEqual(await h.backend.capabilities(), {
      stream: true,
      score: true,
      explainNatively: true,
      infill: false,
      images: true,
      embed: true,
      tokenize: true,
      logProbs: true,
      notes: [],
    });
    assert.equal(h.backend.kind, 'aleph-alpha');
  });

  it('tokenizes to ids and readable texts, and detokenizes back (emoji, CJK)', async () => {
    const text = 'Hello world 🍕 寿司!';
    const tokens = await h.backend.tokenize({ text });
    assert.equal(tokens.map((t) => t.text).join(''), text);
    assert.deepEqual(tokens.slice(0, 2), [
      { id: 47, text: 'Hello' },
      { id: 25, text: ' world' },
    ]);
    assert.equal(await h.backend.detokenize({ ids: tokens.map((t) => t.id) }), text);
    assert.deepEqual(h.server.requests[0]?.body, {
      model: 'luminous-base',
      prompt: text,
      tokens: true,
      token_ids: true,
    });
    assert.deepEqual(h.server.requests[1]?.body, {
      model: 'luminous-base',
      token_ids: tokens.map((t) => t.id),
    });
  });

  it('lists models from /models_available', async () => {
    const models = await h.backend.models();
    assert.deepEqual(
      models.map((m) => [m.id, m.maxContextSize]),
      [
        ['luminous-base', 2048],
        ['tiny', 32],
        ['embedder', 2048],
      ],
    );
    assert.equal(models[0]?.description, 'Deterministic test model.');
    assert.equal((await h.backend.modelsAvailable())[1]?.maximumCompletionTokens, 16);
    assert.equal(h.server.requests[0]?.method, 'GET');
  });

  it('reads the plain-text version', async () => {
    assert.equal(await h.backend.version(), '1.19.0');
  });

  it('sends a User-Agent naming Prompt Lens and its version', async () => {
    await h.backend.version();
    const version = (
      JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../../../package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    assert.equal(h.server.requests[0]?.headers['user-agent'], `Prompt-Lens-${version}`);
  });

  for (const [suffix, expected] of [
    ['', '/complete'],
    ['/', '/complete'],
    ['/v1', '/v1/complete'],
    ['/v1/', '/v1/complete'],
  ] as const) {
    it(`appends endpoint names to a base URL ending in "${suffix}"`, async () => {
      const backend = new AlephAlphaBackend(
        { url: h.server.url + suffix, token: TOKEN, model: 'luminous-base' },
        { env: {} },
      );
      try {
        await backend.complete({ prompt: 'Hello', maxTokens: 1 });
        assert.equal(h.server.requests[0]?.path, expected);
      } finally {
        await backend.close();
      }
    });
  }

  it('adds nice=true to every POST when asked, and nothing otherwise', async () => {
    await h.backend.complete({ prompt: 'Hello', maxTokens: 1 });
    const nice = h.backendWith({ nice: true });
    await nice.complete({ prompt: 'Hello', maxTokens: 1 });
    await nice.tokenize({ text: 'Hello' });
    await nice.detokenize({ ids: [47] });
    await nice.semanticEmbed({ prompt: 'Hello', representation: 'symmetric' });
    await nice.version();
    const [plain, ...rest] = h.server.requests;
    assert.deepEqual(plain?.query, {});
    assert.deepEqual(
      rest.map((r) => [r.method, r.query]),
      [
        ['POST', { nice: 'true' }],
        ['POST', { nice: 'true' }],
        ['POST', { nice: 'true' }],
        ['POST', { nice: 'true' }],
        ['GET', {}],
      ],
    );
  });

  it('merges hosting into every POST body when configured', async () => {
    const hosted = h.backendWith({ hosting: 'aleph-alpha' });
    await hosted.complete({ prompt: 'Hello', maxTokens: 1 });
    await hosted.evaluate({ prompt: 'Hello', expected: ' world' });
    await hosted.explain({ prompt: 'Hello', target: ' world' });
    await hosted.tokenize({ text: 'Hello' });
    for (const request of h.server.requests)
      assert.equal((request.body as Record<string, unknown>)['hosting'], 'aleph-alpha', request.endpoint);
    await h.backend.complete({ prompt: 'Hello', maxTokens: 1 });
    assert.equal('hosting' in (h.server.requests[h.server.requests.length - 1]?.body as object), false);
  });

  it('uses the request model over the profile model, and needs one', async () => {
    await h.backend.complete({ prompt: 'Hello', maxTokens: 1, model: 'embedder' });
    assert.equal((h.server.requests[0]?.body as Record<string, unknown>)['model'], 'embedder');
    const noModel = new AlephAlphaBackend({ url: h.server.url, token: TOKEN }, { env: {} });
    try {
      await assert.rejects(noModel.complete({ prompt: 'Hello', maxTokens: 1 }), { kind: 'bad-request' });
    } finally {
      await noModel.close();
    }
  });
});
