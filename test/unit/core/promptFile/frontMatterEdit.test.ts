// The front matter edit finder the panel's form uses (pure, in the core).
import * as assert from 'node:assert/strict';
import {
  applyTextEdit,
  frontMatterEdit,
  type FrontMatterPath,
} from '../../../../src/core/promptFile/frontMatterEdit';
type Scalar = string | number | boolean | null;

const set = (source: string, path: FrontMatterPath, value: Scalar): string =>
  applyTextEdit(source, frontMatterEdit(source, path, value));

describe('panel front matter edits', () => {
  const source =
    '---\n# top comment\nparams:\n    temperature: 0.5 # warm\n    stop: "\\n"\nvars:\n  name: Ada\n---\nHi {{ name }}\n';

  it('replaces only the value, keeping indentation, comments and quoting', () => {
    assert.equal(
      set(source, ['params', 'temperature'], 1),
      source.replace('temperature: 0.5 # warm', 'temperature: 1 # warm'),
    );
    assert.equal(set(source, ['params', 'stop'], '###'), source.replace('stop: "\\n"', 'stop: "###"'));
    assert.equal(
      set(source, ['vars', 'name'], 'Grace Hopper'),
      source.replace('name: Ada', 'name: Grace Hopper'),
    );
  });

  it('quotes strings that YAML would read as something else', () => {
    assert.equal(set(source, ['vars', 'name'], 'true'), source.replace('name: Ada', 'name: "true"'));
    assert.equal(set(source, ['vars', 'name'], 'a: b'), source.replace('name: Ada', 'name: "a: b"'));
    assert.equal(set(source, ['vars', 'name'], '42'), source.replace('name: Ada', 'name: "42"'));
  });

  it('adds a missing key with the mapping’s indentation, or a new mapping, or a whole front matter', () => {
    assert.equal(
      set(source, ['params', 'top_k'], 3),
      source.replace('    stop: "\\n"\n', '    stop: "\\n"\n    top_k: 3\n'),
    );
    assert.equal(
      set(source, ['model'], 'tiny'),
      source.replace('  name: Ada\n', '  name: Ada\nmodel: tiny\n'),
    );
    const noParams = '---\nmodel: x\n---\nbody';
    assert.equal(
      set(noParams, ['params', 'temperature'], 0),
      '---\nmodel: x\nparams:\n  temperature: 0\n---\nbody',
    );
    const emptyParams = '---\nparams:\nmodel: x\n---\nbody';
    assert.equal(set(emptyParams, ['params', 'seed'], 7), '---\nparams:\n  seed: 7\nmodel: x\n---\nbody');
    assert.equal(
      set('Hello', ['params', 'temperature'], 0.2),
      '---\nparams:\n  temperature: 0.2\n---\nHello',
    );
  });

  it('refuses what it cannot do in place, with a message for the user', () => {
    assert.throws(() => frontMatterEdit('---\nparams: {a: 1}\n---\n', ['params', 'b'], 2), /in the editor/);
    assert.throws(
      () => frontMatterEdit('---\nparams:\n  logit_bias: {1: 2}\n---\n', ['params', 'logit_bias'], 2),
      /not a single value/,
    );
    assert.throws(() => frontMatterEdit('---\nparams: [\n---\n', ['params', 'b'], 2), /YAML errors/);
    assert.throws(() => frontMatterEdit('---\nparams:\n  a: 1\n', ['params', 'a'], 2), /not closed/);
  });
});
