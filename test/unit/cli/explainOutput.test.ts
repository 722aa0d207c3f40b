import * as assert from 'node:assert/strict';
import { explanationsJson } from '../../../src/cli/commands/explain';

describe('explain output', () => {
  it('turns per-item text scores into spans of the whole prompt text (UTF-16 offsets)', () => {
    const prompt = [
      { type: 'text' as const, text: 'Q: 🦙?' },
      { type: 'image' as const, data: 'AAAA' },
      { type: 'text' as const, text: ' A:' },
    ];
    const spans = explanationsJson(prompt, {
      explanations: [
        {
          target: ' yes',
          items: [
            { type: 'text', scores: [{ start: 3, length: 2, score: 0.5 }] },
            { type: 'image', scores: [{ rect: { left: 0, top: 0, width: 1, height: 1 }, score: 0.1 }] },
            { type: 'text', scores: [{ start: 1, length: 2, score: -0.25 }] },
          ],
        },
      ],
    });
    assert.deepEqual(spans, [
      {
        target: ' yes',
        spans: [
          { start: 3, length: 2, text: '🦙', score: 0.5 },
          { start: 7, length: 2, text: 'A:', score: -0.25 },
        ],
      },
    ]);
  });
});
