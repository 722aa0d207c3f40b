import * as assert from 'node:assert/strict';
import { shouldCount, waitingReason, type CountSituation } from '../../../../src/features/tokens/countPolicy';

const base: CountSituation = {
  isPromptFile: true,
  hasSelection: false,
  commandUsed: false,
  workspaceTrusted: true,
};

describe('token counter: when a prompt is counted on its own', () => {
  it('counts a .prompt file on its own in a trusted workspace', () => {
    assert.equal(shouldCount(base), true);
    assert.equal(waitingReason(base), undefined);
  });

  it('sends nothing from an untrusted workspace until a Prompt Lens command ran, and says why', () => {
    const untrusted = { ...base, workspaceTrusted: false };
    assert.equal(shouldCount(untrusted), false);
    assert.match(waitingReason(untrusted) ?? '', /untrusted workspace: run any Prompt Lens command/);
    assert.equal(shouldCount({ ...untrusted, commandUsed: true }), true);
    assert.equal(waitingReason({ ...untrusted, commandUsed: true }), undefined);
  });

  it('counts a selection in any document only once a command ran, trusted or not', () => {
    const selection = { ...base, isPromptFile: false, hasSelection: true };
    assert.equal(shouldCount(selection), false);
    assert.equal(shouldCount({ ...selection, commandUsed: true }), true);
    assert.equal(shouldCount({ ...selection, commandUsed: true, workspaceTrusted: false }), true);
    assert.equal(waitingReason(selection), undefined, 'a plain document is not a prompt to wait for');
  });

  it('never counts a plain document without a selection', () => {
    const plain = { ...base, isPromptFile: false };
    assert.equal(shouldCount(plain), false);
    assert.equal(shouldCount({ ...plain, commandUsed: true }), false);
  });
});
