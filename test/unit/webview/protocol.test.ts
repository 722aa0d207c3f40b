import * as assert from 'node:assert/strict';
import { parseHostToWebview, parseWebviewToHost, type Run } from '../../../src/webview/protocol';

const run: Run = {
  id: 'r1',
  time: 1,
  action: 'complete',
  fileName: 'hello.prompt',
  profile: 'local',
  promptText: 'Tell me',
  images: [],
  params: { n_predict: 16 },
  vars: { animal: 'otter' },
  completion: {
    text: ' a',
    finishReason: 'length',
    tokens: [{ text: ' a', logprob: -0.1, top: [{ text: ' a', logprob: -0.1 }] }],
  },
};

describe('panel protocol', () => {
  it('accepts every webview-to-host message in its documented shape', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'frontMatter/set', path: ['params', 'temperature'], value: 0.5 },
      { type: 'frontMatter/set', path: ['model'], value: 'luminous-base' },
      { type: 'run/start', action: 'explain', vars: { animal: 'cat' }, target: ' hold' },
      { type: 'run/start', action: 'evaluate', uri: 'file:///a.prompt', vars: {}, expected: ' x' },
      { type: 'vars/save', uri: 'file:///a.prompt', values: { notes: 'line 1\nline 2\n' } },
      { type: 'run/cancel' },
      { type: 'models/list', profile: 'local' },
      { type: 'history/clear' },
    ]) {
      const parsed = parseWebviewToHost(message);
      assert.ok(parsed.ok, `${message.type}: ${parsed.ok ? '' : parsed.error}`);
    }
  });

  it('rejects unknown types, missing fields, wrong types and bad paths with a readable reason', () => {
    const bad: unknown[] = [
      null,
      'ready',
      { type: 'nope' },
      { type: 'run/start', action: 'explode', vars: {} },
      { type: 'run/start', action: 'complete' },
      { type: 'run/start', action: 'complete', vars: { a: 1 } },
      { type: 'vars/save', values: { a: 'b' } },
      { type: 'vars/save', uri: 'file:///a', values: { a: ['b'] } },
      { type: 'frontMatter/set', path: ['params'], value: 1 },
      { type: 'frontMatter/set', path: ['tests', 'x'], value: 1 },
      { type: 'frontMatter/set', path: ['params', ''], value: 1 },
      { type: 'frontMatter/set', path: ['params', 'x'], value: { nested: true } },
    ];
    for (const message of bad) {
      const parsed = parseWebviewToHost(message);
      assert.equal(parsed.ok, false, JSON.stringify(message));
      if (!parsed.ok) assert.match(parsed.error, /^bad "/);
    }
  });

  it('validates host-to-webview messages, runs included', () => {
    assert.ok(parseHostToWebview({ type: 'run/finished', run }).ok);
    assert.ok(parseHostToWebview({ type: 'history/changed', runs: [run] }).ok);
    assert.ok(parseHostToWebview({ type: 'vars/saved', uri: 'file:///a.prompt', saved: ['notes'] }).ok);
    const broken = {
      ...run,
      completion: { ...run.completion, tokens: [{ text: 'x', logprob: 'high', top: [] }] },
    };
    const parsed = parseHostToWebview({ type: 'run/finished', run: broken });
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.error, /run\.completion\.tokens\.0\.logprob/);
  });
});
