import * as assert from 'node:assert/strict';
import { OffsetMap } from '../../../../../src/core/backends/alephAlpha/offsets';

describe('Aleph Alpha offsets: code points <-> UTF-16', () => {
  it('is the identity on BMP text, CJK included', () => {
    const map = new OffsetMap('我喜欢寿司 and pizza');
    assert.equal(map.codePointLength, 15);
    for (let i = 0; i <= 15; i++) {
      assert.equal(map.toUtf16(i), i);
      assert.equal(map.toCodePoint(i), i);
    }
  });

  it('counts an emoji as one code point and two UTF-16 units', () => {
    const text = 'a🍕b寿👩‍👩‍👧c';
    const map = new OffsetMap(text);
    assert.equal(map.codePointLength, [...text].length);
    // "b" is code point 2 and UTF-16 offset 3.
    assert.equal(map.toUtf16(2), 3);
    assert.equal(map.toCodePoint(3), 2);
    assert.deepEqual(map.spanToUtf16(1, 1), { start: 1, length: 2 });
    const family = [...text].slice(4, 9).join('');
    const span = map.spanToUtf16(4, 5);
    assert.equal(text.slice(span.start, span.start + span.length), family);
    assert.deepEqual(map.spanToCodePoints(span.start, span.length), { start: 4, length: 5 });
  });

  it('round-trips every code-point span', () => {
    const text = '🍕x😀寿y';
    const map = new OffsetMap(text);
    const cps = [...text];
    for (let start = 0; start <= cps.length; start++) {
      for (let length = 0; start + length <= cps.length; length++) {
        const utf16 = map.spanToUtf16(start, length);
        assert.equal(
          text.slice(utf16.start, utf16.start + utf16.length),
          cps.slice(start, start + length).join(''),
        );
        assert.deepEqual(map.spanToCodePoints(utf16.start, utf16.length), { start, length });
      }
    }
  });

  it('clamps out-of-range offsets and handles a lone surrogate', () => {
    const map = new OffsetMap('a\ud83c');
    assert.equal(map.codePointLength, 2);
    assert.equal(map.toUtf16(99), 2);
    assert.equal(map.toCodePoint(-1), 0);
  });
});
