import * as assert from 'node:assert/strict';
import type { BackendKind } from '../../../../src/core/backend';
import { renderPromptFile, type RenderResult } from '../../../../src/core/promptFile/index';
import {
  lastCompletionTarget,
  renderForBackend,
  resolvePrompt,
  resolveTarget,
  targetFromSettings,
  typedVars,
} from '../../../../src/core/useCases/index';

const FILE =
  '---\nbackend: local\nvars:\n  n: 2\n  name: Ada\nexpected: " yes"\n---\n{% for i in (1..n) %}{{ name }} {% endfor %}';

describe('use cases: which prompt, which target', () => {
  it('resolves plain text with its offset, and a template with its rendering', async () => {
    assert.deepEqual(resolvePrompt({ kind: 'selection', text: 'abc', offset: 4 }), {
      kind: 'selection',
      prompt: 'abc',
      text: 'abc',
      offset: 4,
    });
    const render = await renderPromptFile(FILE);
    const resolved = resolvePrompt({ kind: 'template', name: 'a.prompt', render });
    assert.equal(resolved.text, 'Ada Ada ');
    assert.equal(resolved.settings?.expected, ' yes');
  });

  it('refuses a template with errors, naming the first and its line', async () => {
    const render = await renderPromptFile('Hello\n{{ nobody }}');
    assert.throws(
      () => resolvePrompt({ kind: 'template', name: 'broken.prompt', render }),
      (error: Error & { kind?: string }) =>
        error.kind === 'template' &&
        /^broken\.prompt has 1 error; the first, at line 2: .*nobody/.test(error.message),
    );
  });

  it('renders again for the kind of the profile the file names, and with typed variables', async () => {
    const calls: { kind: BackendKind | undefined; vars?: Record<string, unknown> }[] = [];
    const render = async (
      kind: BackendKind | undefined,
      vars?: Record<string, unknown>,
    ): Promise<RenderResult> => {
      calls.push({ kind, ...(vars && { vars }) });
      return renderPromptFile(FILE, { ...(kind && { backendKind: kind }), ...(vars && { vars }) });
    };
    const kindOf = (name: string): BackendKind | undefined => (name === 'local' ? 'llama-cpp' : undefined);
    await renderForBackend(render, { defaultKind: 'aleph-alpha', kindOf });
    assert.deepEqual(calls, [{ kind: 'aleph-alpha' }, { kind: 'llama-cpp' }]);
    calls.length = 0;
    await renderForBackend(render, { defaultKind: 'llama-cpp', kindOf });
    assert.deepEqual(calls, [{ kind: 'llama-cpp' }], 'one rendering when the kinds agree');
    calls.length = 0;
    const typed = await renderForBackend(render, { defaultKind: 'llama-cpp', kindOf }, { n: '3' });
    assert.deepEqual(
      calls[1],
      { kind: 'llama-cpp', vars: { n: 3 } },
      'a number typed over a number default is a number',
    );
    assert.equal(typed.text, 'Ada Ada Ada ');
  });

  it('reads typed variables as JSON only over defaults that are not strings', () => {
    assert.deepEqual(
      typedVars({ n: '3', name: '42', list: '[1, 2]', bad: '{' }, { n: 1, name: 'x', list: [], bad: [] }),
      {
        n: 3,
        name: '42',
        list: [1, 2],
        bad: '{',
      },
    );
  });

  it('takes the same target on every surface: the user first, Explain falls back to expected', () => {
    const settings = { params: {}, vars: {}, tests: [], expected: ' yes' };
    assert.equal(targetFromSettings('explain', settings), ' yes');
    assert.equal(targetFromSettings('explain', { ...settings, target: ' no' }), ' no');
    assert.equal(targetFromSettings('evaluate', { ...settings, target: ' no' }), ' yes');
    assert.equal(resolveTarget('explain', ' typed', settings), ' typed');
    assert.equal(resolveTarget('explain', '', settings), ' yes', 'an empty form field is no target');
    assert.equal(resolveTarget('evaluate', undefined, undefined), undefined);
  });

  it('explains the last completion against the text before it, when the prompt ends with it', () => {
    assert.deepEqual(lastCompletionTarget('Once upon a time', ' a time'), {
      target: ' a time',
      prompt: 'Once upon',
    });
    assert.equal(lastCompletionTarget('Once upon a time', ' the end'), undefined);
    assert.equal(lastCompletionTarget(' a time', ' a time'), undefined, 'not the whole text');
  });
});
