import * as assert from 'node:assert/strict';
import { renderPromptFile, splitFrontMatter } from '../../../../src/core/promptFile';

describe('front matter', () => {
  describe('splitFrontMatter', () => {
    it('finds none without a leading --- line', () => {
      assert.deepEqual(splitFrontMatter('hello\n---\nx: 1\n---\n'), { bodyStart: 0 });
    });
    it('splits LF, CRLF and BOM files', () => {
      assert.deepEqual(splitFrontMatter('---\na: 1\n---\nbody'), {
        yaml: { text: 'a: 1\n', start: 4 },
        bodyStart: 13,
      });
      assert.deepEqual(splitFrontMatter('---\r\na: 1\r\n---\r\nbody'), {
        yaml: { text: 'a: 1\r\n', start: 5 },
        bodyStart: 16,
      });
      assert.deepEqual(splitFrontMatter('\uFEFF---\na: 1\n---\nb'), {
        yaml: { text: 'a: 1\n', start: 5 },
        bodyStart: 14,
      });
    });
    it('accepts an empty front matter and a ... terminator', () => {
      assert.deepEqual(splitFrontMatter('---\n---\nbody'), { yaml: { text: '', start: 4 }, bodyStart: 8 });
      assert.deepEqual(splitFrontMatter('---\na: 1\n...\nbody'), {
        yaml: { text: 'a: 1\n', start: 4 },
        bodyStart: 13,
      });
    });
    it('flags an unclosed one', () => {
      assert.deepEqual(splitFrontMatter('---\na: 1\n'), { bodyStart: 9, unclosed: { start: 0, end: 3 } });
    });
  });

  describe('settings', () => {
    const full = [
      '---',
      'backend: local',
      'model: luminous-base',
      'params:',
      '  maximum_tokens: 16',
      '  stop_sequences: ["\\n"]',
      'vars:',
      '  x: 1',
      'expected: " yes"',
      'target: " no"',
      'tests:',
      '  - name: one',
      '    vars: { x: 2 }',
      '    contains: yes',
      '  - vars: { x: 3 }',
      '    expected: " maybe"',
      '    contains: [a, b]',
      '---',
      '{{ x }}',
    ].join('\n');

    it('reads every key', async () => {
      const result = await renderPromptFile(full, { backendKind: 'aleph-alpha' });
      assert.deepEqual(result.diagnostics, []);
      assert.deepEqual(result.settings, {
        backend: 'local',
        model: 'luminous-base',
        params: { maximum_tokens: 16, stop_sequences: ['\n'] },
        vars: { x: 1 },
        expected: ' yes',
        target: ' no',
        tests: [
          { name: 'one', vars: { x: 2 }, contains: ['yes'] },
          { vars: { x: 3 }, expected: ' maybe', contains: ['a', 'b'] },
        ],
      });
      assert.equal(result.text, '1');
    });

    it('warns about unknown keys at the key', async () => {
      const source = '---\nmodle: x\n---\n';
      const result = await renderPromptFile(source);
      assert.deepEqual(
        result.diagnostics.map((d) => [d.severity, d.code, source.slice(d.start, d.end)]),
        [['warning', 'unknown-key', 'modle']],
      );
    });

    it('rejects wrong types for the top-level keys', async () => {
      const source = '---\nmodel: [a]\nvars: 3\nparams: nope\ntests: {a: 1}\n---\n';
      const result = await renderPromptFile(source);
      assert.deepEqual(
        result.diagnostics.map((d) => [d.code, source.slice(d.start, d.end)]),
        [
          ['invalid-value', '[a]'],
          ['invalid-value', '3'],
          ['invalid-value', 'nope'],
          ['invalid-value', '{a: 1}'],
        ],
      );
    });

    it('rejects a front matter that is not a mapping', async () => {
      const result = await renderPromptFile('---\n- a\n---\nx');
      assert.equal(result.diagnostics[0]?.code, 'front-matter');
    });

    it('warns about unknown test keys and rejects bad test values', async () => {
      const source = '---\ntests:\n  - vars: 1\n    expectd: x\n  - 5\n---\n';
      const result = await renderPromptFile(source);
      assert.deepEqual(
        result.diagnostics.map((d) => [d.severity, source.slice(d.start, d.end)]),
        [
          ['error', '1'],
          ['warning', 'expectd'],
          ['error', '5'],
        ],
      );
    });
  });

  describe('params per backend kind', () => {
    async function paramDiagnostics(
      params: string,
      backendKind?: 'aleph-alpha' | 'llama-cpp' | 'openai',
    ): Promise<[string, string, string][]> {
      const source = `---\nparams:\n${params}\n---\n`;
      const result = await renderPromptFile(source, backendKind ? { backendKind } : {});
      return result.diagnostics.map((d) => [d.severity, d.code ?? '', source.slice(d.start, d.end)]);
    }

    it("accepts each kind's own parameters", async () => {
      assert.deepEqual(
        await paramDiagnostics(
          '  maximum_tokens: 5\n  temperature: 0.5\n  top_k: 3\n  top_p: 0.9\n  presence_penalty: 0.1\n  stop_sequences: [a]',
          'aleph-alpha',
        ),
        [],
      );
      assert.deepEqual(
        await paramDiagnostics(
          '  n_predict: -1\n  temperature: 0.7\n  min_p: 0.05\n  stop: ["###"]\n  seed: 42\n  repeat_penalty: 1.1',
          'llama-cpp',
        ),
        [],
      );
      assert.deepEqual(
        await paramDiagnostics(
          '  max_tokens: 5\n  temperature: 1.5\n  top_p: 1\n  stop: "\\n"\n  seed: 1',
          'openai',
        ),
        [],
      );
    });

    it('warns about a parameter the kind does not know, at its name', async () => {
      assert.deepEqual(await paramDiagnostics('  n_predict: 5', 'aleph-alpha'), [
        ['warning', 'unknown-param', 'n_predict'],
      ]);
      assert.deepEqual(await paramDiagnostics('  maximum_tokens: 5', 'openai'), [
        ['warning', 'unknown-param', 'maximum_tokens'],
      ]);
      assert.deepEqual(await paramDiagnostics('  bogus: 5'), [['warning', 'unknown-param', 'bogus']]);
    });

    it('rejects wrong types and ranges, at the value', async () => {
      assert.deepEqual(await paramDiagnostics('  temperature: hot', 'aleph-alpha'), [
        ['error', 'invalid-param', 'hot'],
      ]);
      assert.deepEqual(await paramDiagnostics('  top_p: 1.5', 'llama-cpp'), [
        ['error', 'invalid-param', '1.5'],
      ]);
      assert.deepEqual(await paramDiagnostics('  maximum_tokens: 2.5', 'aleph-alpha'), [
        ['error', 'invalid-param', '2.5'],
      ]);
      assert.deepEqual(await paramDiagnostics('  temperature: 3', 'openai'), [
        ['error', 'invalid-param', '3'],
      ]);
      assert.deepEqual(await paramDiagnostics('  stop_sequences: [1, 2]', 'aleph-alpha'), [
        ['error', 'invalid-param', '[1, 2]'],
      ]);
    });

    it('without a kind, checks a name against the first kind that knows it', async () => {
      assert.deepEqual(await paramDiagnostics('  n_predict: x'), [['error', 'invalid-param', 'x']]);
      assert.deepEqual(await paramDiagnostics('  max_tokens: 3'), []);
    });

    it('keeps valid and unknown parameters in settings, drops invalid ones', async () => {
      const result = await renderPromptFile('---\nparams:\n  top_k: 2\n  top_p: 9\n  extra: true\n---\n', {
        backendKind: 'aleph-alpha',
      });
      assert.deepEqual(result.settings.params, { top_k: 2, extra: true });
    });
  });
});
