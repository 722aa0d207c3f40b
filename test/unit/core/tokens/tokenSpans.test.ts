import * as assert from 'node:assert/strict';
import type { Token } from '../../../../src/core/backend';
import { renderPromptFile } from '../../../../src/core/promptFile/index';
import { spanAt, tokenSpansInTemplate, tokenSpansInText } from '../../../../src/core/tokens/tokenSpans';

const tokens = (...texts: string[]): Token[] => texts.map((text, id) => ({ id, text }));

describe('token spans', () => {
  it('locates the tokens of plain text, offset to where the prompt starts', () => {
    const spans = tokenSpansInText('Hello world', tokens('Hello', ' world'), 7);
    assert.deepEqual(
      spans.map((s) => [s.start, s.length, s.tokens[0]?.text, s.whole]),
      [
        [7, 5, 'Hello', false],
        [12, 6, ' world', false],
      ],
    );
  });

  it('maps a template’s tokens onto its source: literal text by character, a tag’s output as the whole tag', async () => {
    const source = '---\nvars:\n  name: Ada Lovelace\n---\nHi {{ name }}!';
    const render = await renderPromptFile(source);
    assert.equal(render.text, 'Hi Ada Lovelace!');
    const spans = tokenSpansInTemplate(render.text, tokens('Hi', ' Ada', ' Love', 'lace', '!'), render.map);
    const shown = spans.map((s) => [
      source.slice(s.start, s.start + s.length),
      s.tokens.map((t) => t.text).join('|'),
      s.whole,
    ]);
    assert.deepEqual(shown, [
      ['Hi', 'Hi', false],
      // " Ada" straddles the literal space and the tag: it covers both.
      [' {{ name }}', ' Ada| Love|lace', true],
      ['!', '!', false],
    ]);
  });

  it('finds the span at an offset, or -1 between spans', () => {
    const spans = tokenSpansInText('ab cd', tokens('ab', ' ', 'cd'));
    assert.equal(spanAt(spans, 0), 0);
    assert.equal(spanAt(spans, 1), 0);
    assert.equal(spanAt(spans, 2), 1);
    assert.equal(spanAt(spans, 4), 2);
    assert.equal(spanAt(spans, 5), -1);
  });
});
