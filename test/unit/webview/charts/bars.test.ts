import * as assert from 'node:assert/strict';
import { layoutBars } from '../../../../src/webview/charts/bars';

const options = { width: 220, barHeight: 10, gap: 2, labelWidth: 20, limit: 3 };

describe('bar chart geometry', () => {
  it('sorts by absolute score and keeps the largest bars up to the limit', () => {
    const layout = layoutBars(
      [
        { label: 'a', score: 0.1 },
        { label: 'b', score: -0.5 },
        { label: 'c', score: 0.3 },
        { label: 'd', score: 0.05 },
      ],
      options,
    );
    assert.deepEqual(
      layout.bars.map((b) => b.label),
      ['b', 'c', 'a'],
    );
    assert.deepEqual(
      layout.bars.map((b) => b.y),
      [0, 12, 24],
    );
    assert.equal(layout.height, 34);
  });

  it('puts the zero line where positive and negative ranges meet, and scales widths to the plot', () => {
    const layout = layoutBars(
      [
        { label: 'pos', score: 3 },
        { label: 'neg', score: -1 },
      ],
      options,
    );
    // plot 200 px for a range of 4: zero at 20 + 50.
    assert.equal(layout.zeroX, 70);
    const [pos, neg] = layout.bars;
    assert.deepEqual([pos?.x, pos?.width], [70, 150]);
    assert.deepEqual([neg?.x, neg?.width], [20, 50]);
    // Nothing leaves the plot.
    for (const bar of layout.bars)
      assert.ok(bar.x >= options.labelWidth && bar.x + bar.width <= options.width + 1e-9);
  });

  it('starts at the label edge when every score is positive, and draws nothing for no finite scores', () => {
    const layout = layoutBars(
      [
        { label: 'x', score: 2 },
        { label: 'y', score: 1 },
      ],
      options,
    );
    assert.equal(layout.zeroX, 20);
    assert.equal(layout.bars[0]?.width, 200);
    assert.equal(layout.bars[1]?.width, 100);
    const empty = layoutBars([{ label: 'n', score: Number.NaN }], options);
    assert.deepEqual(empty.bars, []);
    assert.equal(empty.height, 0);
  });

  it('gives zero-width bars when every score is zero', () => {
    const layout = layoutBars([{ label: 'z', score: 0 }], options);
    assert.equal(layout.bars[0]?.width, 0);
    assert.equal(layout.zeroX, 20);
  });
});
