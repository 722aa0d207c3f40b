// The editor's Explain Target and Evaluate input boxes start with the current document's own text,
// or what was last used for that same document: never another document's.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp/index';
import { closeAllEditors, extensionCtx, openUntitled, stubWindow, useProfile } from '../helpers';

describe('editor: input boxes pre-filled per document', function () {
  this.timeout(60_000);
  let llama: LlamaCppServerHandle;
  let restore: () => Promise<void>;

  before(async () => {
    await extensionCtx();
    llama = await startLlamaCppServer();
    restore = await useProfile({ name: 'prefill llama', kind: 'llama-cpp', url: llama.url });
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('promptLens.clearExplanation');
    await closeAllEditors();
  });

  after(async () => {
    await restore();
    await llama.close();
  });

  /** Runs a command whose input box answers `typed`; returns the value the box started with. */
  async function runAnswering(command: string, typed: string | undefined): Promise<string | undefined> {
    const shown: (string | undefined)[] = [];
    const undo = stubWindow('showInputBox', (...args: never[]) => {
      const [options] = args as unknown as [vscode.InputBoxOptions | undefined];
      shown.push(options?.value);
      return Promise.resolve(typed);
    });
    const errors = stubWindow('showErrorMessage', (...args: never[]) => {
      throw new Error(`unexpected error: ${String((args as unknown as unknown[])[0])}`);
    });
    try {
      await vscode.commands.executeCommand(command);
    } finally {
      undo();
      errors();
    }
    assert.equal(shown.length, 1, `${command} asked once`);
    return shown[0];
  }

  for (const [command, what] of [
    ['promptLens.explain', 'Explain Target'],
    ['promptLens.evaluate', 'Evaluate'],
  ] as const) {
    it(`${what}: offers a document's last text in that document only`, async () => {
      const first = await openUntitled('The capital of France is');
      assert.equal(await runAnswering(command, ' Paris'), '', 'nothing to offer yet');
      const second = await openUntitled('Otters hold hands while they');
      assert.equal(await runAnswering(command, undefined), '', "the first document's text is not offered");
      await vscode.window.showTextDocument(first.document);
      assert.equal(await runAnswering(command, undefined), ' Paris', 'the same document gets its own back');
      await vscode.window.showTextDocument(second.document);
      assert.equal(await runAnswering(command, undefined), '');
      // Closed, its name (Untitled-N) may be given to a new document: which starts empty.
      await closeAllEditors();
      const reused = await openUntitled('A new prompt');
      assert.equal(reused.document.uri.toString(), first.document.uri.toString(), 'the name is given again');
      await vscode.window.showTextDocument(reused.document);
      assert.equal(await runAnswering(command, undefined), '', 'a reused untitled name offers nothing');
    });
  }
});
