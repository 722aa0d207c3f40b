import * as assert from 'node:assert/strict';
import { parseTestSuite } from '../../../../src/core/promptTests/parse';

const SOURCE = `---
vars: { country: France }
tests:
  - name: france
    vars: { country: France }
    expect:
      - contains: Paris
      - logprob: { of: " Paris", min: -2.5 }
  - vars: { country: Japan }
    expected: " Tokyo"
    contains: [Tok]
  - file: cases.jsonl
    vars: { tone: formal }
    expect:
      - notContains: London
  - name: broken
    expect:
      - contain: typo
---
Capital of {{ country }}:`;

describe('prompt tests: finding the cases of a prompt file', () => {
  const suite = parseTestSuite(SOURCE, 'capitals.prompt');
  it('lists each case with its line, and the `tests:` key for the CodeLens', () => {
    assert.deepEqual(suite.testsKey, { line: 2, column: 0 });
    assert.deepEqual(
      suite.cases.map((c) => [c.id, c.location.position.line]),
      [
        ['france', 3],
        ['#2', 8],
        ['broken', 15],
      ],
    );
    assert.deepEqual(suite.cases[0]?.expect, [
      { kind: 'contains', value: 'Paris' },
      { kind: 'logprob', of: ' Paris', min: -2.5 },
    ]);
  });
  it("keeps today's keys: `contains`, and `expected` alone asserts that greedy decoding produces it", () => {
    assert.deepEqual(suite.cases[1]?.expect, [
      { kind: 'contains', value: 'Tok' },
      { kind: 'greedy', of: ' Tokyo' },
    ]);
  });
  it('lists a dataset entry with the keys its rows are merged with', () => {
    assert.deepEqual(suite.datasets, [
      {
        file: 'cases.jsonl',
        base: { vars: { tone: 'formal' }, expect: [{ kind: 'notContains', value: 'London' }] },
        position: { line: 11, column: 4 },
      },
    ]);
  });
  it('reports a bad assertion at its case, and still lists the case', () => {
    assert.equal(suite.problems.length, 1);
    assert.match(suite.problems[0]?.message ?? '', /Unknown assertion `contain`/);
    assert.equal(suite.problems[0]?.position.line, 15);
  });
  it('a file without tests has no cases and no CodeLens position', () => {
    const none = parseTestSuite('---\nvars: {}\n---\nHello', 'x.prompt');
    assert.equal(none.testsKey, undefined);
    assert.equal(none.cases.length, 0);
  });
});

describe('prompt tests: diagnostics as you type (front matter check)', () => {
  it('knows `expect` and `file`, and marks a bad assertion or a missing `of` at its entry', async () => {
    const { renderPromptFile } = await import('../../../../src/core/promptFile');
    const source = SOURCE.replace(
      '  - name: broken',
      '  - name: no of\n    expect:\n      - logprob: { min: -1 }\n  - name: of from expected\n    expect:\n      - logprob: { min: -1 }\n    expected: " x"\n  - name: broken',
    );
    const { diagnostics } = await renderPromptFile(source, { path: 'capitals.prompt' });
    assert.deepEqual(
      diagnostics.filter((d) => d.code === 'unknown-key').map((d) => d.message),
      [],
      'expect and file are known keys',
    );
    const problems = diagnostics.filter((d) => d.code === 'invalid-value').map((d) => [d.line, d.message]);
    assert.deepEqual(problems, [
      [17, '`logprob` needs `of`: the text to score.'],
      [
        24,
        'Unknown assertion `contain`; known: contains, notContains, equals, startsWith, regex, json, logprob, perplexity, greedy, beats, drivenBy, similar.',
      ],
    ]);
  });
});
