import * as assert from 'node:assert/strict';
import {
  describeEvaluationExtra,
  formatLogProb,
  formatNumber,
  formatProbability,
  formatSigned,
  notificationText,
  visibleWhitespace,
} from '../../../src/core/format';

describe('one number format for editor, panel and CLI', () => {
  it('writes plain numbers with four significant digits, scientific only at the extremes', () => {
    assert.deepEqual([-2.302585, 0.08123, 12.3456, 1234.5, 2, 0, -1.9e-5, 2.5e7].map(formatNumber), [
      '-2.303',
      '0.08123',
      '12.35',
      '1235',
      '2',
      '0',
      '-1.9e-5',
      '2.5e+7',
    ]);
    assert.equal(formatNumber(Number.NaN), 'n/a');
    assert.equal(formatNumber(Number.NEGATIVE_INFINITY), '−∞');
  });

  it('signs scores', () => {
    assert.deepEqual([0.0812, -1.9e-5, 0].map(formatSigned), ['+0.0812', '-1.9e-5', '0']);
  });

  it('never writes a percentage in scientific notation', () => {
    assert.deepEqual([0.884, 0.052, 0.00052, 9.1e-7, 0, 1, 0.99999, 0.1].map(formatProbability), [
      '88.4%',
      '5.2%',
      '0.052%',
      '< 0.01%',
      '0%',
      '100%',
      '> 99.9%',
      '10%',
    ]);
    assert.equal(formatLogProb(Math.log(0.1)), '-2.303 (10%)');
  });

  it('names evaluation extras in words and hides none that a user can read', () => {
    assert.equal(
      describeEvaluationExtra('boundaryMerged'),
      "prompt's last token merges with the expected text",
    );
    assert.equal(describeEvaluationExtra('log_perplexity'), 'log perplexity');
    assert.equal(describeEvaluationExtra('someCamelCase'), 'some camel case');
  });
});

describe('notification text: a long list of names is cut, not shown whole', () => {
  it('cuts a server\'s "expected one of" list and points at the log', () => {
    const accepted = Array.from({ length: 25 }, (_, i) => `\`field_${i}\``).join(', ');
    const message = `Json deserialize error: unknown field \`n_predict\`, expected one of ${accepted} at line 1 column 80`;
    assert.equal(
      notificationText(message),
      'Json deserialize error: unknown field `n_predict` (the 25 accepted names are in the log).',
    );
  });

  it('cuts any other long list after a few names, and leaves short messages alone', () => {
    const names = Array.from({ length: 10 }, (_, i) => `\`n${i}\``).join(', ');
    assert.equal(
      notificationText(`Bad: ${names}`),
      'Bad: `n0`, `n1`, `n2`, `n3`, `n4`, `n5`, … (4 more in the log)',
    );
    assert.equal(notificationText('Unknown model `x`.'), 'Unknown model `x`.');
  });
});

describe('visible whitespace: the true prompt', () => {
  it('marks spaces, tabs, line breaks and the end', () => {
    assert.equal(visibleWhitespace('A:\n Paris'), 'A:↵\n·Paris⊣');
    assert.equal(visibleWhitespace('a\tb \r\n'), 'a⇥b·↵\n⊣');
  });
});
