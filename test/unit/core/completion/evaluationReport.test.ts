import * as assert from 'node:assert/strict';
import type { EvaluateResult } from '../../../../src/core/backend';
import {
  evaluationMarkdown,
  evaluationSummary,
  greedyText,
} from '../../../../src/core/completion/evaluationReport';
import { percent, showToken, tokenHoverMarkdown } from '../../../../src/core/completion/tokenMarkdown';
import { hoverMarkdown, viewLabel } from '../../../../src/core/explain/hoverText';
import { evaluationMetrics } from '../../../../src/core/useCases/index';

const result: EvaluateResult = {
  logProbability: Math.log(0.25),
  tokenCount: 2,
  characterCount: 9,
  tokens: [
    { text: ' neg', logprob: Math.log(0.5) },
    { text: 'ative', logprob: Math.log(0.5) },
  ],
  perplexityPerToken: 2,
  perplexityPerCharacter: 1.17,
  correctGreedy: true,
};

describe('reports in Markdown', () => {
  it('summarises an evaluation in one line and in a details report', () => {
    const summary = evaluationSummary(result);
    assert.match(summary, /log-probability -1\.386 \(P = 25\.0 %\)/);
    assert.match(summary, /over 2 tokens/);
    assert.equal(greedyText(result), 'yes');
    const { correctGreedy: _unknown, ...withoutGreedy } = result;
    assert.equal(greedyText(withoutGreedy), 'unknown');
    const details = evaluationMarkdown(result, {
      expected: ' negative',
      profile: 'local',
      source: 'a.prompt',
    });
    assert.ok(details.includes('local'), 'names the profile');
    assert.ok(details.includes('neg') && details.includes('ative'), 'lists the tokens');
  });

  it('lists the metrics every surface shows, in order', () => {
    assert.deepEqual(
      evaluationMetrics(result).map((m) => m.name),
      [
        'log probability',
        'probability',
        'tokens',
        'characters',
        'perplexity per token',
        'perplexity per character',
        'greedy would produce it',
      ],
    );
  });

  it('shows tokens and probabilities readably, and escapes Markdown in an explanation hover', () => {
    assert.equal(percent(Math.log(0.5)), '50.0 %');
    assert.notEqual(showToken(' a'), ' a', 'a leading space is made visible');
    assert.match(tokenHoverMarkdown({ text: 'x', logprob: Math.log(0.5), top: [] }), /50\.0 %/);
    const hover = hoverMarkdown({
      label: 'complete target: "*x*"',
      score: 0.5,
      rank: 1,
      of: 3,
      variables: [{ name: 'animal', total: 1 }],
    });
    assert.match(hover, /\\\*x\\\*/, 'Markdown in the label is escaped');
    assert.match(hover, /helped produce the target; 1st of 3/);
    assert.match(hover, /Output of `animal`/);
    assert.equal(
      viewLabel(' hold hands', { target: ' hold', token: 0, scores: [] }, 2),
      'target token 1/2: " hold"',
    );
  });
});
