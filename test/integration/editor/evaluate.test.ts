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
  setApiKey,
  stubWindow,
  useProfile,
  waitFor,
} from '../helpers';
import { evaluationOf } from './helpers/expected';

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

  it("scores the front matter's expected completion (Aleph Alpha) and shows a summary with details", async () => {
    restore = await useProfile({
      name: 'aleph (test)',
      kind: 'aleph-alpha',
      url: aleph.url,
      model: 'luminous-base',
    });
    await setApiKey('aleph (test)', TOKEN);
    const infos = captureMessages('information', () => 'Show Details');
    try {
      await openWorkspaceFile('complete/evaluate.prompt');
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
      const summary = infos.shown[0]?.message ?? '';
      assert.match(
        summary,
        new RegExp(
          `log-probability ${reference.logProbability.toFixed(3).replace('.', '\\.').replace('-', '\\-')}`,
        ),
      );
      assert.match(summary, new RegExp(`over ${reference.tokenCount} token`));
      assert.match(summary, /greedy decoding produces it: (yes|no)/);
      assert.ok(infos.shown[0]?.items.includes('Show Details'));
      const details = ctx.service(evaluationStore).detailsUri;
      await waitFor(
        () => vscode.workspace.textDocuments.some((d) => d.uri.toString() === details.toString()),
        'the details document to open',
      );
      const text = (await vscode.workspace.openTextDocument(details)).getText();
      assert.match(text, /perplexity per character/);
      const rows = text.split('\n').filter((line) => /^\| \d+ \| `/.test(line));
      assert.equal(rows.length, reference.tokens.length, 'one row per token');
      assert.match(rows[0] ?? '', /[█░]{20}/, 'each row has a bar');
    } finally {
      infos.restore();
    }
  });

  it('asks for the expected text in a plain document, prefilled with the last one; greedy is "unknown" where the backend does not say', async () => {
    restore = await useProfile({ name: 'llama (test)', kind: 'llama-cpp', url: llama.url });
    const asked: (string | undefined)[] = [];
    const restoreInput = stubWindow('showInputBox', ((options: vscode.InputBoxOptions) => {
      asked.push(options.value);
      return Promise.resolve(' sat on the mat');
    }) as never);
    const infos = captureMessages('information');
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
      assert.match(
        infos.shown[1]?.message ?? '',
        new RegExp(`greedy decoding produces it: ${expectedGreedy}`),
      );
    } finally {
      restoreInput();
      infos.restore();
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
