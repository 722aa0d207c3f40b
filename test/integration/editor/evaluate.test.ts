import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Ctx } from '../../../src/ctx';
import { evaluationStore } from '../../../src/features/evaluation/evaluationStore';
import { startAlephAlphaServer, type AlephAlphaServer } from '../../fixtures/alephAlpha';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp';
import {
  captureMessages,
  closeAllEditors,
  extensionCtx,
  openUntitled,
  openWorkspaceFile,
  stubWindow,
  useProfile,
  useProfileWithKey,
  waitFor,
} from '../helpers';
import { evaluationOf } from './helpers/expected';
import { formatNumber } from '../../../src/core/format';

const TOKEN = 'evaluate-test-token';

describe('editor: Evaluate Expected Completion', () => {
  let ctx: Ctx;
  let aleph: AlephAlphaServer;
  let llama: LlamaCppServerHandle;
  let restore: () => Promise<void>;

  before(async () => {
    ctx = await extensionCtx();
    aleph = await startAlephAlphaServer({ token: TOKEN });
    llama = await startLlamaCppServer();
  });

  after(async () => {
    await closeAllEditors();
    await aleph.close();
    await llama.close();
  });

  afterEach(async () => {
    await closeAllEditors();
    await restore();
  });

  it("scores the front matter's expected completion (Aleph Alpha) and keeps the details open beside the prompt", async () => {
    restore = await useProfileWithKey(
      { name: 'aleph (test)', kind: 'aleph-alpha', url: aleph.url, model: 'luminous-base' },
      TOKEN,
    );
    const infos = captureMessages('information');
    try {
      const editor = await openWorkspaceFile('complete/evaluate.prompt');
      await vscode.commands.executeCommand('promptLens.evaluate');
      const reference = await evaluationOf(
        'aleph-alpha',
        aleph.url,
        TOKEN,
        'Tell me one surprising fact about otters.\n',
        ' They hold hands while they sleep.',
        'luminous-base',
      );
      const latest = ctx.service(evaluationStore).latest;
      assert.ok(latest, 'the result is kept for the panel');
      assert.equal(latest.meta.expected, ' They hold hands while they sleep.');
      assert.equal(latest.result.logProbability, reference.logProbability);
      assert.equal(latest.result.tokenCount, reference.tokenCount);
      assert.equal(infos.shown.length, 0, 'no notification that fades away');
      const details = ctx.service(evaluationStore).detailsUri;
      await waitFor(
        () => vscode.workspace.textDocuments.some((d) => d.uri.toString() === details.toString()),
        'the details document to open',
      );
      assert.equal(vscode.window.activeTextEditor?.document, editor.document, 'the prompt keeps the focus');
      const text = (await vscode.workspace.openTextDocument(details)).getText();
      assert.ok(text.includes(`| log-probability | ${formatNumber(reference.logProbability)} |`), text);
      assert.match(text, /perplexity per character/);
      assert.ok(
        text.includes('Tell·me·one·surprising·fact·about·otters.↵\n⊣'),
        'the prompt sent, whitespace visible',
      );
      assert.ok(
        text.includes('·They·hold·hands·while·they·sleep.⊣'),
        'the expected text, its leading space visible',
      );
      const rows = text.split('\n').filter((line) => /^\| \d+ \| `/.test(line));
      assert.equal(rows.length, reference.tokens.length, 'one row per token');
      assert.match(rows[0] ?? '', /[█░]{20}/, 'each row has a bar');
    } finally {
      infos.restore();
    }
  });

  it('asks for the expected text in a plain document, prefilled with the last one; no internal names or scientific percentages in the details', async () => {
    restore = await useProfile({ name: 'llama (test)', kind: 'llama-cpp', url: llama.url });
    const asked: (string | undefined)[] = [];
    const restoreInput = stubWindow('showInputBox', ((options: vscode.InputBoxOptions) => {
      asked.push(options.value);
      return Promise.resolve(' sat on the mat');
    }) as never);
    try {
      await openUntitled('The cat');
      await vscode.commands.executeCommand('promptLens.evaluate');
      await vscode.commands.executeCommand('promptLens.evaluate');
      assert.equal(asked[1], ' sat on the mat', 'the second time, the box holds the last value');
      const reference = await evaluationOf('llama-cpp', llama.url, undefined, 'The cat', ' sat on the mat');
      const latest = ctx.service(evaluationStore).latest;
      assert.equal(latest?.result.logProbability, reference.logProbability);
      const expectedGreedy =
        reference.correctGreedy === undefined ? 'unknown' : reference.correctGreedy ? 'yes' : 'no';
      const details = await vscode.workspace.openTextDocument(ctx.service(evaluationStore).detailsUri);
      await waitFor(
        () => details.getText().includes('·sat·on·the·mat⊣'),
        'the details of the last evaluation',
      );
      const text = details.getText();
      assert.match(text, new RegExp(`\\| greedy decoding produces it \\| ${expectedGreedy} \\|`));
      assert.doesNotMatch(text, /boundaryMerged/);
      assert.match(text, /\| prompt's last token merges with the expected text \| (yes|no) \|/);
      assert.doesNotMatch(text, /\de[-+]\d+ ?%/, 'no percentage in scientific notation');
    } finally {
      restoreInput();
    }
  });

  it('does nothing when the input box is dismissed', async () => {
    restore = await useProfile({ name: 'llama (test)', kind: 'llama-cpp', url: llama.url });
    const restoreInput = stubWindow('showInputBox', (() => Promise.resolve(undefined)) as never);
    const errors = captureMessages('error');
    try {
      const before = llama.stats().requests;
      await openUntitled('The cat');
      await vscode.commands.executeCommand('promptLens.evaluate');
      assert.equal(llama.stats().requests, before);
      assert.equal(errors.shown.length, 0);
    } finally {
      restoreInput();
      errors.restore();
    }
  });
});
