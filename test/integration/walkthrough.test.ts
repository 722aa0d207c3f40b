import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { greetFirstRun } from '../../src/walkthrough';
import { closeAllEditors, waitFor } from './editor/helpers';

/** The part of an ExtensionContext the greeting uses: a global memento, in memory. */
function freshContext(): vscode.ExtensionContext & { stored: Map<string, unknown> } {
  const stored = new Map<string, unknown>();
  const globalState = {
    get: (key: string) => stored.get(key),
    update: async (key: string, value: unknown) => void stored.set(key, value),
  };
  return { globalState, stored } as unknown as vscode.ExtensionContext & { stored: Map<string, unknown> };
}

const walkthroughTabs = () =>
  vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => /Welcome|Walkthrough|Get Started/i.test(tab.label));

describe('walkthrough: Get Started greets a first run', () => {
  const section = () => vscode.workspace.getConfiguration('workbench.welcomePage');
  let previous: boolean | undefined;

  before(async () => {
    previous = section().inspect<boolean>('walkthroughs.openOnInstall')?.globalValue;
    await closeAllEditors();
  });
  afterEach(closeAllEditors);
  after(async () => {
    await section().update('walkthroughs.openOnInstall', previous, vscode.ConfigurationTarget.Global);
  });

  it('opens "Get Started with Prompt Lens" on the first activation only', async () => {
    await section().update('walkthroughs.openOnInstall', true, vscode.ConfigurationTarget.Global);
    const context = freshContext();
    greetFirstRun(context);
    await waitFor('the walkthrough to open', () => walkthroughTabs().length === 1);
    assert.equal(context.stored.get('promptLens.walkthroughShown'), true);
    await closeAllEditors();
    greetFirstRun(context);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(walkthroughTabs().length, 0, 'not a second time');
  });

  it("respects VS Code's switch for walkthroughs on install", async () => {
    await section().update('walkthroughs.openOnInstall', false, vscode.ConfigurationTarget.Global);
    const context = freshContext();
    greetFirstRun(context);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(walkthroughTabs().length, 0);
  });
});
