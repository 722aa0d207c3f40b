// The panel's typed values per file: each file shows and runs its own.
import * as assert from 'node:assert/strict';
import { NO_PROMPT_STATE } from '../../../src/webview/defaults';
import {
  editsOf,
  MAX_FILES_KEPT,
  restoreFiles,
  runValues,
  setTyped,
  setVar,
  targetsFor,
  varsToSave,
  withEdits,
} from '../../../src/webview/fileEdits';
import type { PromptState } from '../../../src/webview/protocol';
import { restorePersisted } from '../../../src/webview/state';

const field = (key: string, value: unknown, editable = true) => ({
  key,
  value,
  display: typeof value === 'string' ? value : JSON.stringify(value),
  editable,
});
const prompt = (uri: string, extra: Partial<PromptState> = {}): PromptState => ({
  ...NO_PROMPT_STATE,
  hasDocument: true,
  isPromptFile: true,
  uri,
  fileName: uri.split('/').pop() ?? uri,
  ...extra,
});

describe('panel values per file', () => {
  const a = prompt('file:///a.prompt', { target: ' Paris', vars: [field('notes', 'a\nb\n')] });
  const b = prompt('file:///b.prompt', { expected: ' Rome', vars: [field('notes', 'x')] });

  it('shows and runs each file with its own Expected and Target, labelled by where they come from', () => {
    let files = {};
    files = withEdits(files, a.uri, setTyped(editsOf(files, a.uri), 'target', ' Berlin'));
    const shownA = targetsFor(a, editsOf(files, a.uri));
    assert.deepEqual(shownA.target, { text: ' Berlin', origin: 'edited' });
    assert.deepEqual(shownA.expected, { text: '', origin: 'none' });
    // Another file shows its own values, not what was typed for the first.
    const shownB = targetsFor(b, editsOf(files, b.uri));
    assert.deepEqual(shownB.target, { text: ' Rome', origin: 'file' });
    assert.deepEqual(runValues(b, editsOf(files, b.uri)), {
      uri: b.uri,
      vars: {},
      expected: ' Rome',
      target: ' Rome',
    });
    // Back on the first file: what was typed for it; reset gives the file's value again.
    assert.equal(runValues(a, editsOf(files, a.uri)).target, ' Berlin');
    files = withEdits(files, a.uri, setTyped(editsOf(files, a.uri), 'target', undefined));
    assert.deepEqual(targetsFor(a, editsOf(files, a.uri)).target, { text: ' Paris', origin: 'file' });
    assert.deepEqual(files, {});
  });

  it('keeps typed variables per file, drops one typed back to its default, and saves only editable ones', () => {
    let files = withEdits({}, a.uri, setVar(editsOf({}, a.uri), 'notes', 'a\nb\nc\n', 'a\nb\n'));
    assert.deepEqual(runValues(a, editsOf(files, a.uri)).vars, { notes: 'a\nb\nc\n' });
    assert.deepEqual(runValues(b, editsOf(files, b.uri)).vars, {});
    files = withEdits(files, a.uri, setVar(editsOf(files, a.uri), 'notes', 'a\nb\n', 'a\nb\n'));
    assert.deepEqual(files, {});
    const readOnly = prompt('file:///c.prompt', { vars: [field('items', ['x'], false)] });
    assert.deepEqual(varsToSave(readOnly, { vars: { items: '["y"]' } }), {});
  });

  it('keeps a bounded number of files, the least recently edited forgotten first', () => {
    let files = {};
    for (let i = 0; i <= MAX_FILES_KEPT; i++)
      files = withEdits(files, `file:///${i}`, { vars: {}, target: `${i}` });
    assert.equal(Object.keys(files).length, MAX_FILES_KEPT);
    assert.equal(editsOf(files, 'file:///0').target, undefined);
    assert.equal(editsOf(files, `file:///${MAX_FILES_KEPT}`).target, `${MAX_FILES_KEPT}`);
  });

  it('restores saved values defensively, and drops an older panel’s values that belonged to no file', () => {
    const restored = restorePersisted({
      vars: { notes: 'old' },
      target: ' old',
      files: { 'file:///a.prompt': { vars: { notes: 'kept', bad: 3 }, target: ' t', expected: 7 }, bad: 'x' },
    });
    assert.deepEqual(restored.files, { 'file:///a.prompt': { vars: { notes: 'kept' }, target: ' t' } });
    assert.deepEqual(restoreFiles(null), {});
  });
});
