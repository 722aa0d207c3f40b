import * as assert from 'node:assert/strict';
import {
  formatNumber,
  formatPercent,
  heatLevel,
  maxAbs,
  probabilityLevel,
} from '../../../src/webview/scales';

describe('color scales', () => {
  it('buckets token probabilities from likely (0) to unlikely (3)', () => {
    assert.equal(probabilityLevel(Math.log(0.95)), 0);
    assert.equal(probabilityLevel(Math.log(0.6)), 1);
    assert.equal(probabilityLevel(Math.log(0.3)), 2);
    assert.equal(probabilityLevel(Math.log(0.01)), 3);
    assert.equal(probabilityLevel(null), undefined);
    assert.equal(probabilityLevel(Number.NEGATIVE_INFINITY), undefined);
  });

  it('gives signed heat levels relative to the largest absolute score', () => {
    assert.equal(heatLevel(1, 1), 4);
    assert.equal(heatLevel(-1, 1), -4);
    assert.equal(heatLevel(0.2, 1), 1);
    assert.equal(heatLevel(0.6, 1), 3);
    assert.equal(heatLevel(0.001, 1), 0, 'a score below 5 % of the strongest stays uncoloured');
    assert.equal(heatLevel(-1.9e-5, 8e-4), 0, 'as in the editor: -1.9e-5 against 8e-4 is noise');
    assert.equal(heatLevel(0.05, 1), 1, '5 % of the strongest is the first step');
    assert.equal(heatLevel(0, 1), 0);
    assert.equal(heatLevel(1, 0), 0);
    assert.equal(maxAbs([0.5, -2, Number.NaN]), 2);
  });

  it('formats numbers and percentages compactly', () => {
    assert.equal(formatNumber(-0.12345), '-0.1235', 'the shared format: four significant digits');
    assert.equal(formatNumber(2), '2');
    assert.equal(formatNumber(0.00001), '1.0e-5');
    assert.equal(formatPercent(0.884), '88.4%');
    assert.equal(formatPercent(9.1e-7), '< 0.01%');
    assert.equal(formatPercent(0.052), '5.2%');
  });
});
