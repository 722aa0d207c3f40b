import * as assert from 'node:assert/strict';
import { explain, planExplanation } from '../../../../src/core/explain/index';
import { startHarness, TEXT_AND_IMAGE_EXPLAIN, type Harness } from '../backends/alephAlpha/harness';

describe('explain on Aleph Alpha: native, in the same ExplainResult type', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  const request = TEXT_AND_IMAGE_EXPLAIN;

  it('plans one native call and sends one /explain request (no occlusion)', async () => {
    assert.deepEqual(await planExplanation(h.backend, request), { method: 'native', calls: 1, segments: 0 });
    const before = h.server.requests.length;
    const progress: [number, number][] = [];
    const result = await explain(h.backend, { ...request, onProgress: (d, t) => progress.push([d, t]) });
    const sent = h.server.requests.slice(before).map((r) => r.endpoint);
    assert.deepEqual(sent, ['explain']);
    assert.deepEqual(progress, [
      [0, 1],
      [1, 1],
    ]);
    assert.equal(result.cost, undefined);
    // One explanation per target token; per item: text spans, image tiles (3×3 for sentence), target.
    assert.ok(result.explanations.length >= 2);
    for (const explanation of result.explanations) {
      assert.deepEqual(
        explanation.items.map((i) => i.type),
        ['text', 'image', 'target'],
      );
      const [text, image] = explanation.items;
      assert.ok(text?.type === 'text' && text.scores.length === 3);
      assert.ok(image?.type === 'image' && image.scores.length === 9);
      assert.ok(image.scores.every((tile) => tile.rect.width > 0.33 && tile.rect.width < 0.34));
    }
    const [first] = result.explanations;
    const text = first?.items[0];
    assert.ok(text?.type === 'text');
    const prompt = request.prompt as { type: 'text'; text: string }[];
    assert.deepEqual(
      text.scores.map((s) => prompt[0]?.text.slice(s.start, s.start + s.length)),
      ['I am a programmer.', 'I am French.', 'My favourite food is'],
    );
  });
});
