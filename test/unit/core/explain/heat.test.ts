import * as assert from 'node:assert/strict';
import {
  formatScore,
  HEAT_MIN_SHARE,
  HEAT_SCALE,
  heatRanks,
  heatSteps,
  maxAbs,
  ordinal,
  stepShare,
} from '../../../../src/core/explain/heat';

describe('heat steps and ranks', () => {
  it('steps scores by |score| relative to the largest |score|, signed', () => {
    assert.deepEqual(
      heatSteps([1, -0.8, 0.5, 0.26, -0.06, 0, undefined, Number.NaN]),
      [4, -4, 2, 2, -1, 0, 0, 0],
    );
    assert.deepEqual(heatSteps([-2, 1, 0.75]), [-4, 2, 2]);
  });

  it('leaves scores below 5 % of the strongest uncoloured', () => {
    assert.deepEqual(heatSteps([1, 0.049, -0.049, 0.05, -0.05, 1e-9]), [4, 0, 0, 1, -1, 0]);
    // The case seen on screen: -1.9e-5 next to a maximum of 8e-4 looked like a quarter of it.
    assert.deepEqual(heatSteps([8e-4, -1.9e-5]), [4, 0]);
    assert.equal(HEAT_MIN_SHARE, 0.05);
  });

  it('names the share of the strongest score each step covers', () => {
    assert.deepEqual([0, 1, -2, 3, 4].map(stepShare), ['below 5%', '5–25%', '25–50%', '50–75%', '75–100%']);
    assert.match(HEAT_SCALE, /below 5%/);
  });

  it('paints nothing when every score is zero or missing', () => {
    assert.deepEqual(heatSteps([0, undefined, 0]), [0, 0, 0]);
    assert.equal(maxAbs([]), 0);
  });

  it('ranks by strength, strongest first, ties sharing a rank, missing scores unranked', () => {
    const { ranks, of } = heatRanks([0.1, -0.5, undefined, 0.5, 0.2]);
    assert.deepEqual(ranks, [4, 1, 0, 1, 3]);
    assert.equal(of, 4);
  });

  it('writes ordinals', () => {
    assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal), [
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th',
    ]);
  });

  it('formats scores with a sign in the shared number format', () => {
    assert.equal(formatScore(0.081062), '+0.08106');
    assert.equal(formatScore(-0.46285), '-0.4628');
    assert.equal(formatScore(0.0000123), '+1.2e-5');
    assert.equal(formatScore(0), '0');
  });
});
