// The front matter edit finder the panel's form uses (pure, in the core).
import * as assert from 'node:assert/strict';
import {
  applyTextEdit,
  frontMatterEdit,
  type FrontMatterPath,
} from '../../../../src/core/promptFile/frontMatterEdit';
import { parseDocument } from 'yaml';
import { splitFrontMatter } from '../../../../src/core/promptFile/index';
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

describe('front matter edits of multi-line values', () => {
  const yamlValue = (source: string, path: FrontMatterPath): unknown => {
    const yaml = splitFrontMatter(source).yaml?.text ?? '';
    return parseDocument(yaml).getIn(path);
  };
  const originals = {
    literal: '---\nvars:\n  notes: |\n    first\n    second\n  after: x\n---\n{{ notes }}\n',
    folded: '---\nvars:\n  notes: >\n    folded\n    text\n  after: x\n---\n{{ notes }}\n',
    keep: '---\nvars:\n  notes: |+\n    kept\n\n\n  after: x\n---\n{{ notes }}\n',
    strip: '---\nvars:\n  notes: |-\n    stripped\n  after: x\n---\n{{ notes }}\n',
    plain: '---\nvars:\n  notes: short\n  after: x\n---\n{{ notes }}\n',
    quoted: '---\nvars:\n  notes: "a\\nb"\n  after: x\n---\n{{ notes }}\n',
    last: '---\nvars:\n  after: x\n  notes: |\n    end\n---\n{{ notes }}\n',
    crlf: '---\r\nvars:\r\n  notes: |\r\n    one\r\n    two\r\n  after: x\r\n---\r\n{{ notes }}\r\n',
  };
  const values = {
    'trailing newline': 'one\ntwo\n',
    'no trailing newline': 'one\ntwo',
    'several trailing newlines': 'one\ntwo\n\n\n',
    'leading spaces': '  indented\n    more\nback\n',
    'leading blank line': '\n\nafter blank lines\n',
    tabs: '\tcol1\tcol2\nrow\t2\n',
    'trailing spaces': 'line with spaces   \nnext \n',
    CRLF: 'windows\r\nline\r\n',
    'empty string': '',
    'only newlines': '\n\n',
    'single line': 'just one line',
    'a colon and a hash': 'key: value # not a comment\n- not a list\n',
  };
  for (const [originalName, source] of Object.entries(originals)) {
    for (const [valueName, value] of Object.entries(values)) {
      it(`writes ${valueName} over a ${originalName} original and reads it back exactly`, () => {
        const edited = set(source, ['vars', 'notes'], value);
        assert.equal(yamlValue(edited, ['vars', 'notes']), value);
        assert.equal(yamlValue(edited, ['vars', 'after']) ?? 'x', 'x');
        assert.ok(
          edited.endsWith(
            '---' +
              (source.includes('\r\n') ? '\r\n' : '\n') +
              '{{ notes }}' +
              (source.includes('\r\n') ? '\r\n' : '\n'),
          ),
        );
      });
    }
  }

  it('writes a multi-line value as a literal block scalar, with the chomping it needs', () => {
    const source = originals.literal;
    assert.equal(
      set(source, ['vars', 'notes'], 'one\ntwo\n'),
      '---\nvars:\n  notes: |\n    one\n    two\n  after: x\n---\n{{ notes }}\n',
    );
    assert.equal(
      set(source, ['vars', 'notes'], 'one\ntwo'),
      '---\nvars:\n  notes: |-\n    one\n    two\n  after: x\n---\n{{ notes }}\n',
    );
    assert.equal(
      set(source, ['vars', 'notes'], '  indented\nback\n'),
      '---\nvars:\n  notes: |2\n      indented\n    back\n  after: x\n---\n{{ notes }}\n',
    );
    // A comment after the value stays on its line: an escaped string there.
    assert.equal(
      set('---\nvars:\n  notes: x # why\n---\n', ['vars', 'notes'], 'a\nb\n'),
      '---\nvars:\n  notes: "a\\nb\\n" # why\n---\n',
    );
    // Carriage returns cannot live in a block scalar: an escaped string instead.
    assert.equal(
      set(source, ['vars', 'notes'], 'a\r\nb'),
      '---\nvars:\n  notes: "a\\r\\nb"\n  after: x\n---\n{{ notes }}\n',
    );
  });
});
