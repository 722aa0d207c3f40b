// Whitespace a field hides, said beside it; changed whitespace in a diff made visible.
import * as assert from 'node:assert/strict';
import { diffWords } from '../../../src/core/diff';
import { settingChanges } from '../../../src/webview/compare';
import type { Run } from '../../../src/webview/protocol';
import { markWhitespace, visibleChanges, whitespaceNotes } from '../../../src/webview/whitespace';

const run = (vars: Record<string, string>, promptText = ''): Run => ({
  id: 'x',
  time: 0,
  action: 'complete',
  fileName: 'f',
  profile: 'p',
  promptText,
  images: [],
  params: {},
  vars,
});

describe('whitespace in the panel', () => {
  it('says how a value starts and ends, and where lines end in spaces or hold tabs', () => {
    assert.deepEqual(whitespaceNotes('plain'), []);
    assert.deepEqual(whitespaceNotes(''), ['empty']);
    assert.deepEqual(whitespaceNotes('a\nb\n'), ['ends with ↵ (1 line break)']);
    assert.deepEqual(whitespaceNotes('a\nb  \n'), ['ends with ··↵ (2 spaces, 1 line break)']);
    assert.deepEqual(whitespaceNotes('a\nb'), ['no line break at the end']);
    assert.deepEqual(whitespaceNotes('  a \nb\tc\n\n'), [
      'starts with ·· (2 spaces)',
      'ends with ↵↵ (2 line breaks)',
      'line 1 ends in spaces',
      '1 tab inside (⇥)',
    ]);
    assert.deepEqual(whitespaceNotes(' \t'), ['only whitespace: ·⇥ (1 space, 1 tab)']);
  });

  it('marks line breaks, tabs and edge spaces of changed diff parts, leaving equal parts alone', () => {
    assert.equal(markWhitespace(' a b\n'), '·a b↵\n');
    assert.equal(markWhitespace('\t\r\n'), '⇥␍↵\n');
    const parts = visibleChanges(diffWords('Notes:\nfirst', 'Notes:\n\nfirst'));
    assert.deepEqual(parts, [
      { kind: 'equal', text: 'Notes:' },
      { kind: 'delete', text: '↵\n' },
      { kind: 'insert', text: '↵\n↵\n' },
      { kind: 'equal', text: 'first' },
    ]);
  });

  it('lists a variable that differs only in line breaks as a change, the line breaks visible', () => {
    const changes = settingChanges(run({ notes: 'a\nb' }), run({ notes: 'a\nb\n' }));
    assert.deepEqual(changes, ['notes: "a\\nb" → "a\\nb\\n"']);
    assert.deepEqual(settingChanges(run({ notes: 'a' }), run({ notes: 'a' })), []);
  });
});
