import * as assert from 'node:assert/strict';
import type { ExplainResult } from '../../../../src/core/backend';
import {
  groupScores,
  layoutOnDocument,
  layoutOnTemplate,
  variableTotals,
} from '../../../../src/core/explain/heatLayout';
import { explanationViews, textItemStarts } from '../../../../src/core/explain/heatModel';
import { renderPromptFile } from '../../../../src/core/promptFile';

const text = (scores: [number, number, number][]) => ({
  type: 'text' as const,
  scores: scores.map(([start, length, score]) => ({ start, length, score })),
});

describe('heat views', () => {
  it('shows the sum over target tokens first when the backend gives only per-token explanations', () => {
    const result: ExplainResult = {
      explanations: [
        {
          target: ' hold',
          items: [
            text([
              [0, 3, 0.5],
              [4, 5, -0.25],
            ]),
          ],
        },
        {
          target: ' hands',
          items: [
            text([
              [0, 3, 0.25],
              [4, 5, 1],
            ]),
          ],
        },
      ],
    };
    const views = explanationViews(result, ' hold hands', [0]);
    assert.deepEqual(views.spans, [
      { start: 0, end: 3 },
      { start: 4, end: 9 },
    ]);
    assert.deepEqual(views.complete, { target: ' hold hands', scores: [0.75, 0.75] });
    assert.deepEqual(
      views.tokens.map((t) => [t.token, t.target, t.scores]),
      [
        [0, ' hold', [0.5, -0.25]],
        [1, ' hands', [0.25, 1]],
      ],
    );
  });

  it('uses the explanation of the whole target when the backend returns one', () => {
    const result: ExplainResult = {
      explanations: [
        { target: ' hold hands', items: [text([[0, 3, 9]])] },
        { target: ' hold', items: [text([[0, 3, 1]])] },
        { target: ' hands', items: [text([[0, 3, 2]])] },
      ],
    };
    const views = explanationViews(result, ' hold hands', [0]);
    assert.deepEqual(views.complete.scores, [9]);
    assert.equal(views.tokens.length, 2);
  });

  it('has no token views for a one-token target, and offsets later text items', () => {
    const result: ExplainResult = {
      explanations: [
        { target: 'x', items: [text([[0, 2, 1]]), { type: 'image', scores: [] }, text([[1, 2, -1]])] },
      ],
    };
    const starts = textItemStarts([
      { type: 'text', text: 'abcd' },
      { type: 'image' },
      { type: 'text', text: 'efg' },
    ]);
    assert.deepEqual(starts, [0, undefined, 4]);
    const views = explanationViews(result, 'x', starts);
    assert.deepEqual(views.spans, [
      { start: 0, end: 2 },
      { start: 5, end: 7 },
    ]);
    assert.deepEqual(views.tokens, []);
  });
});

describe('heat layout', () => {
  it('puts spans of a selection at its document offset', () => {
    const layout = layoutOnDocument(
      [
        { start: 0, end: 3 },
        { start: 4, end: 9 },
      ],
      100,
    );
    assert.deepEqual(
      layout.groups.map((g) => g.ranges),
      [[{ start: 100, end: 103 }], [{ start: 104, end: 109 }]],
    );
  });

  it('maps spans through the source map onto the template, a span in an output painting the whole tag', async () => {
    const source = '---\nvars: { animal: sea otter }\n---\nTell me about the {{ animal }}.\n';
    const render = await renderPromptFile(source);
    assert.equal(render.text, 'Tell me about the sea otter.\n');
    const at = (word: string) => ({
      start: render.text.indexOf(word),
      end: render.text.indexOf(word) + word.length,
    });
    // "sea" and "otter." both come from the output: one group; "Tell" stays alone.
    const spans = [at('Tell'), at('sea'), at('otter.')];
    const layout = layoutOnTemplate(spans, render.map);
    const slices = layout.groups.map((g) => g.ranges.map((r) => source.slice(r.start, r.end)));
    assert.deepEqual(slices, [['Tell'], ['{{ animal }}.']]);
    assert.deepEqual(
      layout.groups.map((g) => g.variables),
      [[], ['animal']],
    );
    assert.deepEqual(groupScores(layout, [0.5, 0.25, -1]), [0.5, -0.75]);
    assert.deepEqual(variableTotals(layout, [0.5, -0.75]), new Map([['animal', -0.75]]));
  });

  it('sums the iterations of a loop onto the one source they came from', async () => {
    const source = '---\nvars: { xs: [a, b] }\n---\n{% for x in xs %}<{{ x }}>{% endfor %}';
    const render = await renderPromptFile(source);
    assert.equal(render.text, '<a><b>');
    const spans = [0, 1, 2, 3, 4, 5].map((i) => ({ start: i, end: i + 1 }));
    const layout = layoutOnTemplate(spans, render.map);
    const slices = layout.groups.map((g) => g.ranges.map((r) => source.slice(r.start, r.end)));
    assert.deepEqual(slices, [['<'], ['{{ x }}'], ['>']]);
    assert.deepEqual(groupScores(layout, [1, 2, 3, 10, 20, 30]), [11, 22, 33]);
    assert.deepEqual(layout.groupOfSpan, [0, 1, 2, 0, 1, 2]);
  });
});
