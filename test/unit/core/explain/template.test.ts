import * as assert from 'node:assert/strict';
import type { TextSpanScore } from '../../../../src/core/backend';
import { LlamaCppBackend } from '../../../../src/core/backends/llamaCpp';
import { explain } from '../../../../src/core/explain/index';
import { explanationOnTemplate } from '../../../../src/core/explain/template';
import { renderPromptFile } from '../../../../src/core/promptFile';
import { startLlamaCppServer } from '../../../fixtures/llamaCpp';

const SOURCE = [
  '---',
  'vars:',
  '  name: Bob',
  '  items: [cat, dog]',
  '---',
  'Hello {{ name }}, how are you?{% promptrange q %} What is {{ name | upcase }} doing?{% endpromptrange %}',
  '{% for i in items %}{% promptrange pet %} the {{ i }}.{% endpromptrange %}{% endfor %}',
].join('\n');

/** A span of the rendered text by its content (the n-th occurrence). */
function at(text: string, part: string, score: number, occurrence = 0): TextSpanScore {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = text.indexOf(part, start + 1);
  assert.ok(start >= 0, `${part} in ${JSON.stringify(text)}`);
  return { start, length: part.length, score };
}

const sourceText = (span: { sourceStart: number; sourceLength: number }) =>
  SOURCE.slice(span.sourceStart, span.sourceStart + span.sourceLength);

describe('explanation on the template', () => {
  it('maps literal text 1:1 and sums spans inside a {{ }} output onto the tag', async () => {
    const render = await renderPromptFile(SOURCE);
    const text = render.text;
    assert.equal(text, 'Hello Bob, how are you? What is BOB doing?\n the cat. the dog.');
    const result = explanationOnTemplate(
      [at(text, 'Hello', 1), at(text, 'B', 0.25, 0), at(text, 'ob', 0.5), at(text, 'how', -2)],
      render,
    );
    assert.deepEqual(
      result.spans.map((s) => [sourceText(s), s.score, s.variable]),
      [
        ['Hello', 1, undefined],
        ['{{ name }}', 0.75, 'name'],
        ['how', -2, undefined],
      ],
    );
  });

  it('shares a span straddling literal text and an output by rendered characters (totals kept)', async () => {
    const render = await renderPromptFile(SOURCE);
    // "Bob," = 3 characters of output + 1 of literal text.
    const result = explanationOnTemplate([at(render.text, 'Bob,', 4)], render);
    assert.deepEqual(
      result.spans.map((s) => [sourceText(s), s.score]),
      [
        ['{{ name }}', 3],
        [',', 1],
      ],
    );
  });

  it('sums per variable output and per promptrange (a range in a loop sums its iterations)', async () => {
    const render = await renderPromptFile(SOURCE);
    const text = render.text;
    const scores = [
      at(text, 'Bob', 1),
      at(text, 'BOB', 2),
      at(text, 'What', 0.5),
      at(text, 'cat', 3),
      at(text, 'dog', -1),
      at(text, 'the', 0.25, 0),
      at(text, 'the', 0.25, 1),
      at(text, 'Hello', 7),
    ];
    const result = explanationOnTemplate(scores, render);
    assert.deepEqual(result.perVariable, [
      { variable: 'name', score: 3 },
      { variable: 'i', score: 2 },
    ]);
    assert.deepEqual(result.perRange, [
      { name: 'q', score: 2.5 },
      { name: 'pet', score: 2.5 },
    ]);
    // Literal text rendered twice by the loop lands on the same source span.
    const the = result.spans.filter((s) => sourceText(s) === 'the');
    assert.equal(the.length, 1);
    assert.equal(the[0]?.score, 0.5);
    const total = (list: { score: number }[]) => list.reduce((a, s) => a + s.score, 0);
    assert.equal(total(result.spans), total(scores));
  });

  it('takes an occlusion explanation of a rendered .prompt file through to the template', async function () {
    this.timeout(30_000);
    const server = await startLlamaCppServer();
    const backend = new LlamaCppBackend({ url: server.url });
    try {
      const render = await renderPromptFile(SOURCE);
      const result = await explain(backend, {
        prompt: render.prompt,
        target: ' The cat',
        granularity: { type: 'word' },
      });
      const item = result.explanations[0]?.items[0];
      assert.ok(item?.type === 'text');
      const onTemplate = explanationOnTemplate(item.scores, render);
      const byVariable = new Map(onTemplate.perVariable.map((v) => [v.variable, v.score]));
      // "Bob," is one word: 3 of its 4 characters are the output of {{ name }}.
      const bobComma = item.scores.find((s) => render.text.slice(s.start, s.start + s.length) === 'Bob,');
      const bobUpper = item.scores.find((s) => render.text.slice(s.start, s.start + s.length) === 'BOB');
      assert.ok(bobComma && bobUpper);
      assert.ok(Math.abs((byVariable.get('name') ?? NaN) - (bobComma.score * 3) / 4 - bobUpper.score) < 1e-9);
    } finally {
      await backend.close();
      await server.close();
    }
  });
});
