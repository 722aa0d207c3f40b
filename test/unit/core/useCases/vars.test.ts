// Variables as a form edits them, and "Save as defaults": every value checked, all written or none.
import * as assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { applyTextEdit } from '../../../../src/core/promptFile/frontMatterEdit';
import { splitFrontMatter } from '../../../../src/core/promptFile/index';
import { planVarDefaults, savedValue, varFieldView } from '../../../../src/core/useCases/vars';

const varsOf = (source: string): Record<string, unknown> =>
  (parseDocument(splitFrontMatter(source).yaml?.text ?? '').toJS() as { vars: Record<string, unknown> }).vars;

describe('variables in a form', () => {
  it('shows text exactly, multi-line where it holds a line break', () => {
    assert.deepEqual(varFieldView('a\nb\n'), { display: 'a\nb\n', editable: true, multiline: true });
    assert.deepEqual(varFieldView('  one line \t'), {
      display: '  one line \t',
      editable: true,
      multiline: false,
    });
    assert.deepEqual(varFieldView(undefined), { display: '', editable: true, multiline: false });
  });

  it('edits numbers and booleans as text, and shows what a text field would change read-only, with a reason', () => {
    assert.equal(varFieldView(3).editable, true);
    assert.equal(varFieldView(false).display, 'false');
    const list = varFieldView(['a', 'b']);
    assert.equal(list.editable, false);
    assert.match(list.reason ?? '', /list/);
    assert.match(varFieldView({ a: 1 }).reason ?? '', /mapping/);
    const crlf = varFieldView('a\r\nb');
    assert.equal(crlf.editable, false);
    assert.match(crlf.reason ?? '', /carriage return/);
  });

  it('reads typed text back in the type of the default it replaces', () => {
    assert.deepEqual(savedValue('42', 'text'), { value: '42' });
    assert.deepEqual(savedValue('42', 7), { value: 42 });
    assert.deepEqual(savedValue('true', false), { value: true });
    assert.ok('problem' in savedValue('many', 7));
    assert.ok('problem' in savedValue('yes', true));
    assert.ok('problem' in savedValue('[1]', [1]));
  });
});

describe('saving variables as the file’s defaults', () => {
  const source =
    '---\nvars:\n  audience: the team\n  count: 3\n  items: [a, b]\n  notes: |\n    one\n    two\n---\n{{ audience }} {{ notes }}\n';

  it('writes every typed value in one edit, multi-line text as a block scalar', () => {
    const plan = planVarDefaults(source, { audience: 'engineers', notes: 'one\n  two\nthree\n', count: '4' });
    assert.ok(plan.ok);
    const saved = applyTextEdit(source, plan.edit);
    assert.deepEqual(varsOf(saved), {
      audience: 'engineers',
      count: 4,
      items: ['a', 'b'],
      notes: 'one\n  two\nthree\n',
    });
    assert.match(saved, /notes: \|\n {4}one\n {6}two\n {4}three\n---/);
    assert.deepEqual(plan.saved.sort(), ['audience', 'count', 'notes']);
  });

  it('writes nothing when any value cannot be written faithfully, and names each one with why', () => {
    const plan = planVarDefaults(source, {
      audience: 'engineers',
      notes: 'fine\n',
      count: 'several',
      items: 'a, b',
    });
    assert.equal(plan.ok, false);
    if (plan.ok) return;
    assert.deepEqual(
      plan.problems.map((p) => p.name),
      ['count', 'items'],
    );
    assert.match(plan.problems[0]?.reason ?? '', /number/);
    assert.match(plan.problems[1]?.reason ?? '', /list/);
  });

  it('keeps a CRLF file’s line breaks whole', () => {
    const crlf = source.replace(/\n/g, '\r\n');
    const plan = planVarDefaults(crlf, { notes: 'x\ny\n' });
    assert.ok(plan.ok);
    const saved = applyTextEdit(crlf, plan.edit);
    assert.equal(varsOf(saved)['notes'], 'x\ny\n');
    assert.doesNotMatch(saved, /[^\r]\n/);
    assert.notEqual(crlf[plan.edit.start - 1], '\r');
  });
});
