import * as assert from 'node:assert/strict';
import type { EvaluateResult } from '../../../../src/core/backend';
import { positiveSpans, regionShares } from '../../../../src/core/promptTests/attribution';
import { checkAssertion, type Observations } from '../../../../src/core/promptTests/checks';

const score = (logProbability: number, correctGreedy?: boolean): EvaluateResult => ({
  logProbability,
  tokenCount: 2,
  characterCount: 6,
  tokens: [
    { text: ' Pa', logprob: logProbability / 2 },
    { text: 'ris', logprob: logProbability / 2 },
  ],
  perplexityPerToken: Math.exp(-logProbability / 2),
  perplexityPerCharacter: 1,
  ...(correctGreedy === undefined ? {} : { correctGreedy }),
});

const seen = (extra: Partial<Observations> = {}): Observations => ({
  completion: {
    text: ' Paris is the capital.',
    alternatives: [
      { text: ' Paris', logprob: Math.log(0.6) },
      { text: ' Lyon', logprob: Math.log(0.1) },
    ],
  },
  scores: new Map([
    [' Paris', score(-0.5, true)],
    [' Lyon', score(-2.0, false)],
    [' Marseille', score(-1.2, false)],
  ]),
  shares: new Map(),
  similarity: new Map(),
  ...extra,
});

describe('prompt tests: deciding assertions', () => {
  it('text assertions pass on the completion, and a failure shows it with the top alternatives', () => {
    assert.equal(checkAssertion({ kind: 'contains', value: 'Paris' }, seen(), undefined).passed, true);
    assert.equal(checkAssertion({ kind: 'startsWith', value: 'Paris' }, seen(), undefined).passed, true);
    const failed = checkAssertion({ kind: 'notContains', value: 'capital' }, seen(), undefined);
    assert.equal(failed.passed, false);
    assert.equal(failed.actual, ' Paris is the capital.');
    assert.match(
      failed.message,
      /the completion was " Paris is the capital\."; top first tokens: " Paris" 0\.600, " Lyon" 0\.100/,
    );
  });

  it('json parses (a code fence is allowed) and checks the schema', () => {
    const json = (text: string) => seen({ completion: { text, alternatives: [] } });
    assert.equal(checkAssertion({ kind: 'json' }, json('```json\n{"a": 1}\n```'), undefined).passed, true);
    const bad = checkAssertion(
      { kind: 'json', schema: { type: 'object', required: ['b'] } },
      json('{"a": 1}'),
      undefined,
    );
    assert.match(bad.message, /the property "b" is missing/);
    assert.match(checkAssertion({ kind: 'json' }, json('{a'), undefined).message, /not JSON/);
  });

  it('logprob and perplexity compare with the bounds and name the least likely tokens', () => {
    assert.equal(
      checkAssertion({ kind: 'logprob', of: ' Paris', min: -2.5 }, seen(), undefined).passed,
      true,
    );
    const low = checkAssertion({ kind: 'logprob', of: ' Lyon', min: -1 }, seen(), undefined);
    assert.equal(low.passed, false);
    assert.match(low.message, /logprob was -2\.0000, expected >= -1; least likely tokens: " Pa" -1\.000/);
    assert.equal(
      checkAssertion({ kind: 'perplexity', of: ' Paris', max: 1.3 }, seen(), undefined).passed,
      true,
    );
    assert.equal(
      checkAssertion({ kind: 'perplexity', of: ' Lyon', max: 2 }, seen(), undefined).passed,
      false,
    );
  });

  it("greedy uses the backend's answer; beats needs the margin over every other text", () => {
    assert.equal(checkAssertion({ kind: 'greedy', of: ' Paris' }, seen(), undefined).passed, true);
    assert.equal(checkAssertion({ kind: 'greedy', of: ' Lyon' }, seen(), undefined).passed, false);
    assert.equal(
      checkAssertion(
        { kind: 'beats', of: ' Paris', others: [' Lyon', ' Marseille'], margin: 0.5 },
        seen(),
        undefined,
      ).passed,
      true,
    );
    const close = checkAssertion(
      { kind: 'beats', of: ' Paris', others: [' Lyon', ' Marseille'], margin: 1 },
      seen(),
      undefined,
    );
    assert.equal(close.passed, false);
    assert.match(close.message, /not 1 above " Marseille" \(-1\.2000, margin 0\.7000\)/);
    assert.doesNotMatch(close.message, /" Lyon" \(/);
  });

  it('drivenBy reads the share of its region for the explained target; similar compares the cosine', () => {
    const shares = new Map([
      [
        ' Paris',
        new Map([
          ['country', 0.7],
          ['examples', 0.2],
        ]),
      ],
    ]);
    assert.equal(
      checkAssertion({ kind: 'drivenBy', range: 'country', minShare: 0.5 }, seen({ shares }), ' Paris')
        .passed,
      true,
    );
    const low = checkAssertion(
      { kind: 'drivenBy', range: 'examples', minShare: 0.5 },
      seen({ shares }),
      ' Paris',
    );
    assert.match(low.message, /share was 0\.200, expected >= 0\.5 \(others: country 0\.70\)/);
    assert.match(
      checkAssertion({ kind: 'drivenBy', range: 'nope', minShare: 0.1 }, seen({ shares }), ' Paris').message,
      /no promptrange or variable named "nope"/,
    );
    const similarity = new Map([['Paris', 0.9]]);
    assert.equal(
      checkAssertion({ kind: 'similar', to: 'Paris', min: 0.8 }, seen({ similarity }), undefined).passed,
      true,
    );
    assert.equal(
      checkAssertion({ kind: 'similar', to: 'Paris', min: 0.95 }, seen({ similarity }), undefined).passed,
      false,
    );
  });
});

describe('prompt tests: attribution shares of regions', () => {
  it('counts positive scores by overlap, never twice for touching occurrences', () => {
    const spans = positiveSpans(
      {
        explanations: [
          {
            target: 'x',
            items: [
              {
                type: 'text',
                scores: [
                  { start: 0, length: 4, score: 2 },
                  { start: 4, length: 4, score: 2 },
                  { start: 8, length: 2, score: -5 },
                ],
              },
            ],
          },
        ],
      },
      [0],
    );
    assert.equal(spans.length, 2);
    const shares = regionShares(spans, [
      { name: 'a', start: 0, length: 2 },
      { name: 'a', start: 2, length: 2 },
      { name: 'b', start: 2, length: 4 },
    ]);
    assert.equal(shares.get('a'), 0.5);
    assert.equal(shares.get('b'), 0.5);
  });
});
