import * as assert from 'node:assert/strict';
import type { Explanation, Postprocessing } from '../../../../src/core/backend';
import { postprocessExplanation, postprocessScore } from '../../../../src/core/explain/postprocess';
import { startHarness, TEXT_AND_IMAGE_EXPLAIN, type Harness } from '../backends/alephAlpha/harness';

const EXPLANATION: Explanation = {
  target: ' x',
  items: [
    {
      type: 'text',
      scores: [
        { start: 0, length: 3, score: -2 },
        { start: 4, length: 2, score: 1 },
      ],
    },
    { type: 'image', scores: [{ rect: { left: 0, top: 0, width: 1, height: 1 }, score: 0.5 }] },
    { type: 'token_ids', scores: [3, -1] },
    { type: 'target', scores: [{ start: 0, length: 1, score: 0 }] },
  ],
};

function flat(explanation: Explanation): number[] {
  return explanation.items.flatMap((item) =>
    item.type === 'token_ids' ? item.scores : item.scores.map((s: { score: number }) => s.score),
  );
}

describe('postprocessing and normalize (Aleph Alpha semantics)', () => {
  it('transforms each score: none, absolute, square', () => {
    assert.equal(postprocessScore(-3, 'none'), -3);
    assert.equal(postprocessScore(-3, 'absolute'), 3);
    assert.equal(postprocessScore(-3, 'square'), 9);
    assert.deepEqual(flat(postprocessExplanation(EXPLANATION, 'square')), [4, 1, 0.25, 9, 1, 0]);
  });

  it('normalizes after postprocessing over every item of the explanation: min -> 0, max -> 1', () => {
    assert.deepEqual(flat(postprocessExplanation(EXPLANATION, 'none', true)), [0, 0.6, 0.5, 1, 0.2, 0.4]);
    assert.deepEqual(flat(postprocessExplanation(EXPLANATION, 'absolute', true)), [
      2 / 3,
      1 / 3,
      1 / 6,
      1,
      1 / 3,
      0,
    ]);
  });

  it('normalizes equal scores to 0 and leaves the input untouched', () => {
    const same: Explanation = {
      target: 'a',
      items: [
        {
          type: 'text',
          scores: [
            { start: 0, length: 1, score: 2 },
            { start: 1, length: 1, score: 2 },
          ],
        },
      ],
    };
    assert.deepEqual(flat(postprocessExplanation(same, 'none', true)), [0, 0]);
    assert.deepEqual(flat(same), [2, 2]);
    assert.deepEqual(flat(EXPLANATION), [-2, 1, 0.5, 3, -1, 0]);
  });

  describe('agrees with the Aleph Alpha test server', function () {
    this.timeout(30_000);
    let h: Harness;
    before(async () => {
      h = await startHarness();
    });
    after(async () => {
      await h.close();
    });
    const request = TEXT_AND_IMAGE_EXPLAIN;
    for (const [postprocessing, normalize] of [
      ['absolute', false],
      ['square', true],
      ['none', true],
    ] as [Postprocessing, boolean][]) {
      it(`${postprocessing}${normalize ? ' + normalize' : ''}: the server's own result equals ours on its raw scores`, async () => {
        const raw = await h.backend.explain(request);
        const server = await h.backend.explain({ ...request, postprocessing, normalize });
        assert.equal(server.explanations.length, raw.explanations.length);
        raw.explanations.forEach((explanation, k) => {
          const ours = flat(postprocessExplanation(explanation, postprocessing, normalize));
          const theirs = flat(server.explanations[k] as Explanation);
          assert.equal(ours.length, theirs.length);
          ours.forEach((x, i) => assert.ok(Math.abs(x - (theirs[i] ?? NaN)) < 1e-9, `${x} vs ${theirs[i]}`));
        });
      });
    }
  });
});
