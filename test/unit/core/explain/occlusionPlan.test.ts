import * as assert from 'node:assert/strict';
import { promptTokenLowerBound } from '../../../../src/core/explain/lowerBound';
import { groupCost, partitionDeletions } from '../../../../src/core/explain/partition';
import { batchOrder, slotGroups, type ScoringJob } from '../../../../src/core/explain/schedule';
import { alignedLogProbs, referenceTokens } from '../../../../src/core/explain/targetTokens';

/** n deletions of 20 characters each, back to back, in a text of 20·n characters. */
const uniform = (n: number) => Array.from({ length: n }, (_, i) => ({ start: 20 * i, length: 20, id: i }));

describe('occlusion planning (pure)', () => {
  it('one slot: the deletions from last to first', () => {
    const groups = partitionDeletions(uniform(5), 100, 1);
    assert.deepEqual(
      groups.map((g) => g.map((d) => d.id)),
      [[4, 3, 2, 1, 0]],
    );
  });

  it('two slots: contiguous groups, the latest with the full prompt, the earliest on the cold slot, balanced', () => {
    const deletions = uniform(30);
    const groups = partitionDeletions(deletions, 600, 2);
    assert.equal(groups.length, 2);
    const [withFull, cold] = groups;
    assert.ok(withFull && cold);
    assert.deepEqual(
      [...withFull, ...cold].map((d) => d.id),
      Array.from({ length: 30 }, (_, i) => 29 - i),
      'contiguous, each run from last to first',
    );
    const a = groupCost(withFull, 600, true);
    const b = groupCost(cold, 600, false);
    const total = groupCost(deletions, 600, true);
    assert.ok(Math.max(a, b) < 0.6 * total, `${a} / ${b} of ${total}`);
    // The cold slot's extra work (its latest deletion's prefix) is small against the whole.
    const extra = a + b - total;
    assert.ok(extra > 0 && extra <= 0.05 * total, `extra ${extra} of ${total}`);
  });

  it('more slots only while the extra work stays within 3% of the single-slot work', () => {
    const deletions = uniform(30);
    const single = groupCost(deletions, 600, true);
    for (const slots of [2, 3, 4, 8]) {
      const groups = partitionDeletions(deletions, 600, slots);
      assert.ok(groups.length <= slots);
      const work = groups.reduce((sum, group, i) => sum + groupCost(group, 600, i === 0), 0);
      assert.ok(work - single <= 0.03 * single, `${slots} slots: extra ${work - single} of ${single}`);
    }
    assert.ok(partitionDeletions(deletions, 600, 8).length >= 2);
  });

  it('slot groups put the full prompt first on slot 0; the batch puts the earliest deletion second', () => {
    const prompt = 'a b c d';
    const jobs: ScoringJob[] = [
      { prompt },
      ...[0, 2, 4, 6].map((start) => ({ prompt, deletion: { start, length: 1 } })),
    ];
    assert.deepEqual(slotGroups(jobs, 7, 1), [[0, 4, 3, 2, 1]]);
    assert.deepEqual(batchOrder(jobs, 1), [0, 4, 3, 2, 1]);
    assert.deepEqual(batchOrder(jobs, 2), [0, 1, 4, 3, 2]);
  });

  it('lower bound: distinct prefixes once, a repeated prompt one token', () => {
    assert.equal(
      promptTokenLowerBound([
        [1, 2, 3, 4],
        [1, 2, 5],
        [1, 2, 3, 4],
        [1, 2],
      ]),
      5 + 1,
    );
    assert.equal(promptTokenLowerBound([]), 0);
  });

  it('places target tokens by bytes from the end: a merged first token, byte pieces of an emoji', () => {
    // Reference: " cats" covers the prompt's " cat" and the target's "s"; then " 🦙" as 1 + 4 byte pieces.
    const reference = referenceTokens(
      [
        { text: ' cats', logprob: -1 },
        { text: ' ', logprob: -2 },
        { text: '\uFFFD', logprob: -3 },
        { text: '\uFFFD', logprob: -4 },
        { text: '\uFFFD', logprob: -5 },
        { text: '\uFFFD', logprob: -6 },
      ],
      's 🦙',
    );
    assert.deepEqual(
      reference.map((t) => [t.text, t.startByte, t.endByte]),
      [
        ['s', -4, 1],
        [' ', 1, 2],
        ['\uFFFD', 2, 3],
        ['\uFFFD', 3, 4],
        ['\uFFFD', 4, 5],
        ['🦙', 5, 6],
      ],
    );
    // Another tokenization: " s" then " 🦙" as one piece: its last byte is in the reference's last token.
    assert.deepEqual(
      alignedLogProbs(
        reference,
        [
          { text: ' s', logprob: -0.5 },
          { text: ' 🦙', logprob: -0.25 },
        ],
        's 🦙',
      ),
      [-0.5, 0, 0, 0, 0, -0.25],
    );
  });
});
