import * as assert from 'node:assert/strict';
import type { TokenLogProb } from '../../../../src/core/backend';
import { TokenPlacer } from '../../../../src/core/completion/tokenPlacer';
import { regionEffect } from '../../../../src/core/completion/regionEdits';

const token = (text: string, logprob = -0.5): TokenLogProb => ({ text, logprob, top: [] });

describe('token placer', () => {
  it('places streamed tokens in the completion text and turns an inserted stretch into document pieces', () => {
    const placer = new TokenPlacer();
    placer.add(' Hello', [token(' Hel'), token('lo')]);
    placer.add(' world', [token(' world')]);
    assert.equal(placer.completionText, ' Hello world');
    assert.deepEqual(
      placer.tokens.map((t) => t.text),
      [' Hel', 'lo', ' world'],
    );
    // The whole completion inserted at document offset 100.
    assert.deepEqual(
      placer.pieces(0, 12, 100).map((p) => [p.start, p.end, p.token?.text]),
      [
        [100, 104, ' Hel'],
        [104, 106, 'lo'],
        [106, 112, ' world'],
      ],
    );
  });

  it('leaves out tokens whose text is not where expected: the text stays, as a piece without token', () => {
    const placer = new TokenPlacer();
    placer.add('ab', [token('x'), token('b')]);
    assert.deepEqual(
      placer.pieces(0, 2, 10).map((p) => [p.start, p.end, p.token?.text]),
      [[10, 12, undefined]],
    );
  });

  it('normalises line ends like the document before placing', () => {
    const placer = new TokenPlacer((text) => text.replace(/\n/g, '\r\n'));
    placer.add('a\nb', [token('a\n'), token('b')]);
    assert.equal(placer.completionText, 'a\r\nb');
    assert.deepEqual(
      placer.pieces(0, 4, 0).map((p) => [p.start, p.end]),
      [
        [0, 3],
        [3, 4],
      ],
    );
  });

  it('gives only the pieces of a partial stretch (the part inserted before a stop)', () => {
    const placer = new TokenPlacer();
    placer.add('one two', [token('one'), token(' two')]);
    assert.deepEqual(
      placer.pieces(0, 3, 5).map((p) => [p.start, p.end, p.token?.text]),
      [[5, 8, 'one']],
    );
  });
});

describe('region edits', () => {
  const insert = (at: number, text: string) => ({ rangeOffset: at, rangeLength: 0, text });

  it('shifts a region by edits before it and ignores edits after it', () => {
    assert.deepEqual(regionEffect(10, 20, [insert(0, 'abc')], false), { kind: 'shift', by: 3 });
    assert.deepEqual(regionEffect(10, 20, [{ rangeOffset: 2, rangeLength: 5, text: '' }], false), {
      kind: 'shift',
      by: -5,
    });
    assert.deepEqual(regionEffect(10, 20, [insert(25, 'x')], false), { kind: 'shift', by: 0 });
  });

  it('is a conflict for an edit inside, and for an insertion at the end of a growing region only', () => {
    assert.deepEqual(regionEffect(10, 20, [insert(15, 'x')], false), { kind: 'conflict' });
    assert.deepEqual(regionEffect(10, 20, [insert(20, 'x')], false), { kind: 'shift', by: 0 });
    assert.deepEqual(regionEffect(10, 20, [insert(20, 'x')], true), { kind: 'conflict' });
  });
});
