import * as assert from 'node:assert/strict';
import type { ExplanationItem, TextSpanScore } from '../../../../../src/core/backend';
import { PNG_BASE64, startHarness, type Harness } from './harness';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

function textScores(item: ExplanationItem | undefined): TextSpanScore[] {
  assert.ok(
    item && (item.type === 'text' || item.type === 'target'),
    `expected a text item, got ${item?.type}`,
  );
  return item.scores;
}

describe('AlephAlphaBackend: explain', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('gives UTF-16 spans for a prompt with emoji and CJK', async () => {
    const prompt = 'I like 🍕 pizza. 我喜欢 寿司 and 👩‍👩‍👧 cheese';
    const result = await h.backend.explain({ prompt, target: ' cheese', granularity: { type: 'word' } });
    const spans = textScores(result.explanations[0]?.items[0]);
    assert.deepEqual(
      spans.map((s) => prompt.slice(s.start, s.start + s.length)),
      ['I', 'like', '🍕', 'pizza.', '我喜欢', '寿司', 'and', '👩‍👩‍👧', 'cheese'],
    );
    // On the wire the same spans were code points.
    const wire = JSON.parse(h.server.requests[0]?.rawBody ?? '{}') as unknown;
    assert.deepEqual(wire, {
      model: 'luminous-base',
      prompt: [{ type: 'text', data: prompt }],
      target: ' cheese',
      prompt_granularity: { type: 'word' },
    });
  });

  it('agrees with evaluate: a score is the log-prob lost when the segment is suppressed', async () => {
    const prompt = 'The 🐈 cat sat on 畳 the mat.';
    const target = ' and the dog';
    const result = await h.backend.explain({
      prompt,
      target,
      granularity: { type: 'word' },
      controlFactor: 0.2,
    });
    const base = (await h.backend.evaluate({ prompt, expected: target })).logProbability;
    const spans = textScores(result.explanations[0]?.items[0]);
    assert.equal(spans.length, 8);
    for (const span of spans) {
      const suppressed = await h.backend.evaluate({
        prompt: [
          { type: 'text', text: prompt, controls: [{ start: span.start, length: span.length, factor: 0.2 }] },
        ],
        expected: target,
      });
      close(span.score, base - suppressed.logProbability);
    }
  });

  it('reproduces the spec example shape: custom delimiter, token ids, per-token targets', async () => {
    const result = await h.backend.explain({
      prompt: [
        { type: 'text', text: "I am a programmer###I am French###I don't like pizza###My favourite food is" },
        { type: 'token_ids', ids: [4014, 36316, 5681, 387] },
      ],
      target: ' pizza with cheese',
      granularity: { type: 'custom', delimiter: '###' },
      targetGranularity: 'token',
    });
    assert.deepEqual(
      result.explanations.map((e) => e.target),
      [' pizza', ' with', ' cheese'],
    );
    for (const [j, explanation] of result.explanations.entries()) {
      assert.deepEqual(
        explanation.items.map((i) => i.type),
        ['text', 'token_ids', 'target'],
      );
      assert.deepEqual(
        textScores(explanation.items[0]).map(({ start, length }) => ({ start, length })),
        [
          { start: 0, length: 17 },
          { start: 20, length: 11 },
          { start: 34, length: 18 },
          { start: 55, length: 20 },
        ],
      );
      const ids = explanation.items[1];
      assert.equal(ids?.type === 'token_ids' && ids.scores.length, 4);
      assert.equal(textScores(explanation.items[2]).length, j);
    }
    assert.deepEqual(
      textScores(result.explanations[2]?.items[2]).map(({ start, length }) => ({ start, length })),
      [
        { start: 0, length: 6 },
        { start: 6, length: 5 },
      ],
    );
    assert.deepEqual(h.server.requests[0]?.body, {
      model: 'luminous-base',
      prompt: [
        { type: 'text', data: "I am a programmer###I am French###I don't like pizza###My favourite food is" },
        { type: 'token_ids', data: [4014, 36316, 5681, 387] },
      ],
      target: ' pizza with cheese',
      prompt_granularity: { type: 'custom', delimiter: '###' },
      target_granularity: 'token',
    });
  });

  it('converts target spans to UTF-16', async () => {
    const target = ' 🍕 寿 pizza';
    const result = await h.backend.explain({
      prompt: 'I like',
      target,
      targetGranularity: 'token',
      granularity: { type: 'token' },
    });
    const last = result.explanations[result.explanations.length - 1];
    assert.equal(last?.target, ' pizza');
    assert.deepEqual(
      textScores(last?.items[1]).map((s) => target.slice(s.start, s.start + s.length)),
      [' ', '🍕', ' ', '寿'],
    );
  });

  it('honours token, sentence and paragraph granularity', async () => {
    const prompt = 'The cat sat. The dog sat!\n\nI like 🍕. The end';
    const spansOf = async (type: 'token' | 'sentence' | 'paragraph') =>
      textScores(
        (await h.backend.explain({ prompt, target: ' and', granularity: { type } })).explanations[0]
          ?.items[0],
      ).map((s) => prompt.slice(s.start, s.start + s.length));
    assert.deepEqual(await spansOf('sentence'), ['The cat sat.', 'The dog sat!', 'I like 🍕.', 'The end']);
    assert.deepEqual(await spansOf('paragraph'), ['The cat sat. The dog sat!', 'I like 🍕. The end']);
    const tokens = await spansOf('token');
    assert.ok(tokens.includes('🍕'));
    assert.ok(
      tokens.every((t) => t.trim() === t && t !== ''),
      'token spans leave out leading whitespace',
    );
  });

  it('applies postprocessing and normalization', async () => {
    const explain = async (extra: object) =>
      (
        await h.backend.explain({
          prompt: 'The cat sat on the mat',
          target: ' and',
          granularity: { type: 'word' },
          ...extra,
        })
      ).explanations[0]?.items[0];
    const raw = textScores(await explain({})).map((s) => s.score);
    assert.ok(raw.some((s) => s < 0) || raw.some((s) => s > 0));
    assert.deepEqual(
      textScores(await explain({ postprocessing: 'absolute' })).map((s) => s.score),
      raw.map(Math.abs),
    );
    textScores(await explain({ postprocessing: 'square' })).forEach((s, i) =>
      close(s.score, (raw[i] ?? 0) ** 2),
    );
    const normalized = textScores(await explain({ normalize: true })).map((s) => s.score);
    assert.equal(Math.min(...normalized), 0);
    assert.equal(Math.max(...normalized), 1);
    const body = h.server.requests[1]?.body as Record<string, unknown>;
    assert.equal(body['postprocessing'], 'absolute');
  });

  it('sends the AtMan control knobs by their API names', async () => {
    await h.backend.explain({
      prompt: 'Hello',
      target: ' world',
      controlFactor: 0.3,
      controlLogAdditive: false,
      controlTokenOverlap: 'complete',
      granularity: { type: 'auto' },
    });
    const body = h.server.requests[0]?.body as Record<string, unknown>;
    assert.equal(body['control_factor'], 0.3);
    assert.equal(body['control_log_additive'], false);
    assert.equal(body['control_token_overlap'], 'complete');
    assert.equal(body['prompt_granularity'], undefined, 'auto lets the server choose');
  });

  it('scores image tiles, the grid following the granularity', async () => {
    const prompt = [
      { type: 'image' as const, data: PNG_BASE64 },
      { type: 'text' as const, text: 'The cat' },
    ];
    const tiles = async (granularity?: 'token' | 'word' | 'paragraph') => {
      const result = await h.backend.explain({
        prompt,
        target: ' sat',
        ...(granularity ? { granularity: { type: granularity } } : {}),
      });
      const item = result.explanations[0]?.items[0];
      assert.equal(item?.type, 'image');
      return item.type === 'image' ? item.scores : [];
    };
    const auto = await tiles();
    assert.equal(auto.length, 9);
    assert.deepEqual(auto[4]?.rect, { left: 1 / 3, top: 1 / 3, width: 1 / 3, height: 1 / 3 });
    assert.ok(auto.some((t) => t.score !== 0));
    assert.equal((await tiles('token')).length, 144);
    assert.equal((await tiles('word')).length, 36);
    assert.equal((await tiles('paragraph')).length, 1);
  });

  it('reports progress of the single native call', async () => {
    const progress: [number, number][] = [];
    await h.backend.explain({
      prompt: 'Hello',
      target: ' world',
      onProgress: (done, total) => progress.push([done, total]),
    });
    assert.deepEqual(progress, [
      [0, 1],
      [1, 1],
    ]);
  });
});
