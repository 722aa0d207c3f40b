import * as assert from 'node:assert/strict';
import {
  LineIndex,
  Placeholders,
  renderedToSource,
  renderPromptFile,
  sourceToRendered,
} from '../../../../src/core/promptFile';

describe('source map helpers', () => {
  const source = '---\nvars: { xs: [a, b] }\n---\n{% for x in xs %}<{{ x }}>{% endfor %}';

  it('renderedToSource gives one character for literal text and the whole tag for outputs', async () => {
    const result = await renderPromptFile(source);
    assert.equal(result.text, '<a><b>');
    const lt = renderedToSource(result.map, 3);
    assert.equal(source.slice(lt?.start, (lt?.start ?? 0) + (lt?.length ?? 0)), '<');
    const b = renderedToSource(result.map, 4);
    assert.equal(source.slice(b?.start, (b?.start ?? 0) + (b?.length ?? 0)), '{{ x }}');
    assert.equal(b?.entry.variable, 'x');
    assert.equal(renderedToSource(result.map, 6), undefined);
    assert.equal(renderedToSource(result.map, -1), undefined);
  });

  it('sourceToRendered finds every iteration of a literal and of an output', async () => {
    const result = await renderPromptFile(source);
    const lt = source.indexOf('<');
    assert.deepEqual(
      sourceToRendered(result.map, lt).map((s) => [s.start, s.length]),
      [
        [0, 1],
        [3, 1],
      ],
    );
    const output = source.indexOf('{{');
    assert.deepEqual(
      sourceToRendered(result.map, output + 3).map((s) => [s.start, s.length]),
      [
        [1, 1],
        [4, 1],
      ],
    );
    assert.deepEqual(sourceToRendered(result.map, source.indexOf('{% for')), []);
  });

  it('sourceToRendered clips a literal span to the requested source range', async () => {
    const result = await renderPromptFile('abcdef');
    assert.deepEqual(
      sourceToRendered(result.map, 2, 3).map((s) => [s.start, s.length]),
      [[2, 3]],
    );
  });

  it('works on text with placeholders removed', async () => {
    const placeholders = new Placeholders();
    const m = placeholders.placeholder({ type: 'token_ids', ids: [1] });
    const text = 'ab{{ m }}cd';
    const result = await renderPromptFile(text, { vars: { m }, placeholders });
    assert.equal(result.text, 'abcd');
    const c = renderedToSource(result.map, 2);
    assert.equal(text[c?.start ?? -1], 'c');
  });
});

describe('LineIndex', () => {
  it('converts offsets and positions both ways, for LF, CRLF and CR', () => {
    const lines = new LineIndex('ab\ncd\r\nef\rgh');
    assert.deepEqual(lines.position(0), { line: 0, column: 0 });
    assert.deepEqual(lines.position(3), { line: 1, column: 0 });
    assert.deepEqual(lines.position(7), { line: 2, column: 0 });
    assert.deepEqual(lines.position(10), { line: 3, column: 0 });
    assert.deepEqual(lines.position(99), { line: 3, column: 2 });
    assert.equal(lines.offset(2, 1), 8);
  });
});

describe('Placeholders.embedPrompt (PromptTemplate embed_prompt)', () => {
  it('joins text items with a space only where neither side has whitespace', () => {
    const p = new Placeholders();
    assert.equal(
      p.embedPrompt([
        { type: 'text', text: 'start ' },
        { type: 'text', text: 'middle' },
        { type: 'text', text: ' end' },
      ]),
      'start middle end',
    );
    assert.equal(
      p.embedPrompt([
        { type: 'text', text: 'Cool' },
        { type: 'text', text: '' },
        { type: 'text', text: 'Also cool' },
      ]),
      'Cool Also cool',
    );
  });

  it('inlines non-text items as markers that render back into items', async () => {
    const p = new Placeholders();
    const embedded = p.embedPrompt([
      { type: 'text', text: 'A' },
      { type: 'token_ids', ids: [5] },
      { type: 'text', text: 'B' },
    ]);
    const result = await renderPromptFile('{{ e }}', { vars: { e: embedded }, placeholders: p });
    assert.deepEqual(result.items, [
      { type: 'text', text: 'A' },
      { type: 'token_ids', ids: [5] },
      { type: 'text', text: 'B' },
    ]);
  });
});
