import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { diffSide, diffTokens, diffWords } from '../../../src/core/diff';

describe('diffWords', () => {
  it('marks a replaced word and keeps the rest equal', () => {
    assert.deepEqual(diffWords('Tell me about the otter.', 'Tell me about the beaver.'), [
      { kind: 'equal', text: 'Tell me about the ' },
      { kind: 'delete', text: 'otter' },
      { kind: 'insert', text: 'beaver' },
      { kind: 'equal', text: '.' },
    ]);
  });

  it('finds an insertion in the middle', () => {
    assert.deepEqual(diffWords('a b c', 'a b x c'), [
      { kind: 'equal', text: 'a b ' },
      { kind: 'insert', text: 'x ' },
      { kind: 'equal', text: 'c' },
    ]);
  });

  it('gives one equal part for equal texts and nothing for two empty ones', () => {
    assert.deepEqual(diffWords('same text', 'same text'), [{ kind: 'equal', text: 'same text' }]);
    assert.deepEqual(diffWords('', ''), []);
    assert.deepEqual(diffWords('', 'new'), [{ kind: 'insert', text: 'new' }]);
  });

  it('keeps words in the middle that both texts share', () => {
    const parts = diffWords('one two three four', 'zero two three five');
    assert.equal(
      parts
        .filter((p) => p.kind === 'equal')
        .map((p) => p.text)
        .join('|'),
      ' two three ',
    );
  });

  it('tokenizes into words, whitespace and punctuation that join back to the text', () => {
    assert.deepEqual(diffTokens('Hi, otter!\n'), ['Hi', ',', ' ', 'otter', '!', '\n']);
  });

  it('always rebuilds both sides (property)', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', 'c', ' ', '\n', '.', 'ü', 'otter'), { maxLength: 30 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const parts = diffWords(before, after);
        assert.equal(diffSide(parts, 'before'), before);
        assert.equal(diffSide(parts, 'after'), after);
        // No two neighbours of the same kind, no empty parts.
        parts.forEach((part, i) => {
          assert.ok(part.text.length > 0);
          if (i > 0) assert.notEqual(parts[i - 1]?.kind, part.kind);
        });
      }),
    );
  });

  it('replaces a huge differing middle whole instead of building a giant table', () => {
    const before = Array.from({ length: 3000 }, (_, i) => `a${i}`).join(' ');
    const after = Array.from({ length: 3000 }, (_, i) => `b${i}`).join(' ');
    const parts = diffWords(before, after);
    assert.equal(diffSide(parts, 'before'), before);
    assert.equal(diffSide(parts, 'after'), after);
    assert.ok(parts.length <= 3);
  });
});
