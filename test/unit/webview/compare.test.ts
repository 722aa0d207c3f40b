import * as assert from 'node:assert/strict';
import { runLogProbability, segmentDeltas, segmentScores } from '../../../src/webview/compare';
import type { Run } from '../../../src/webview/protocol';

function run(partial: Partial<Run>): Run {
  return {
    id: 'x',
    time: 0,
    action: 'explain',
    fileName: 'f',
    profile: 'p',
    promptText: '',
    images: [],
    params: {},
    vars: {},
    ...partial,
  };
}

describe('run comparison', () => {
  it('sums completion log-probabilities, and falls back to evaluate', () => {
    const completed = run({
      completion: {
        text: 'ab',
        finishReason: 'length',
        tokens: [
          { text: 'a', logprob: -0.5, top: [] },
          { text: 'b', logprob: -1, top: [] },
        ],
      },
    });
    assert.equal(runLogProbability(completed), -1.5);
    const missing = run({
      completion: { text: 'a', finishReason: 'length', tokens: [{ text: 'a', logprob: null, top: [] }] },
    });
    assert.equal(runLogProbability(missing), undefined);
    const evaluated = run({
      evaluation: { expected: 'a', metrics: [{ name: 'log probability', value: -2 }], tokens: [] },
    });
    assert.equal(runLogProbability(evaluated), -2);
  });

  it('sums segment scores over target tokens and numbers repeated segments', () => {
    const r = run({
      promptText: 'the otter and the sea',
      explanation: {
        target: ' x',
        targets: [
          {
            target: ' x',
            spans: [
              { start: 0, length: 3, score: 1 },
              { start: 4, length: 5, score: 2 },
              { start: 14, length: 3, score: 0.5 },
            ],
            images: [],
          },
          {
            target: ' y',
            spans: [
              { start: 0, length: 3, score: 1 },
              { start: 4, length: 5, score: -1 },
            ],
            images: [],
          },
        ],
      },
    });
    assert.deepEqual(
      [...segmentScores(r)],
      [
        ['the', 2],
        ['otter', 1],
        ['the #2', 0.5],
      ],
    );
  });

  it('lists the largest changes first and segments present on one side last', () => {
    const a = run({
      promptText: 'cat sat',
      explanation: {
        target: 't',
        targets: [
          {
            target: 't',
            spans: [
              { start: 0, length: 3, score: 1 },
              { start: 4, length: 3, score: 0.1 },
            ],
            images: [],
          },
        ],
      },
    });
    const b = run({
      promptText: 'cat sat mat',
      explanation: {
        target: 't',
        targets: [
          {
            target: 't',
            spans: [
              { start: 0, length: 3, score: 0.2 },
              { start: 4, length: 3, score: 0.2 },
              { start: 8, length: 3, score: 5 },
            ],
            images: [],
          },
        ],
      },
    });
    const deltas = segmentDeltas(a, b);
    assert.deepEqual(
      deltas.map((d) => d.text),
      ['cat', 'sat', 'mat'],
    );
    assert.ok(Math.abs((deltas[0]?.delta ?? 0) + 0.8) < 1e-9);
    assert.equal(deltas[2]?.delta, undefined);
    assert.equal(deltas[2]?.after, 5);
  });
});
