// Explain Target on a llama.cpp server, which has no explain endpoint: the core scores the target
// with parts of the prompt left out (occlusion), asks above the cost threshold, and can be cancelled.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Ctx } from '../../../src/ctx';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp/index';
import { extensionCtx, useProfiles } from './helpers';
import { heatmapOf, open, resetExplainSettings, windowStubsPerTest } from './helpers/explain';

describe('editor: Explain Target by occlusion on a llama.cpp server', () => {
  let server: LlamaCppServerHandle;
  let ctx: Ctx;
  let restoreProfiles: () => Promise<void>;
  const stubForTest = windowStubsPerTest();
  let errors: string[];

  const snapshot = () => heatmapOf(ctx).snapshot();
  // The scoring calls of the plan; the backend's one-off capability probe (a prompt of just the BOS
  // token, once per server) is not one of them.
  const isProbe = (body: unknown) =>
    Array.isArray((body as { prompt?: unknown } | undefined)?.prompt) &&
    (body as { prompt: unknown[] }).prompt.length === 1;
  const scoringCalls = () =>
    server.requests.filter((r) => r.path === '/completion' && !isProbe(r.body)).length;

  before(async () => {
    server = await startLlamaCppServer({ slots: 1, msPerPromptToken: 5 });
    ctx = await extensionCtx();
    restoreProfiles = await useProfiles(
      [{ name: 'explain llama.cpp', kind: 'llama-cpp', url: server.url }],
      'explain llama.cpp',
    );
    const settings = vscode.workspace.getConfiguration('promptLens');
    await settings.update('explain.granularity', 'word', vscode.ConfigurationTarget.Global);
    await settings.update('explain.costThreshold', 3, vscode.ConfigurationTarget.Global);
  });

  beforeEach(() => {
    errors = [];
  });

  after(async () => {
    await resetExplainSettings();
    await restoreProfiles();
    await server.close();
  });

  /** Answers the cost question with `answer` and records the progress the notification shows. */
  function stubRun(answer: string | undefined, onReport: (message: string) => void = () => undefined) {
    const asked: string[] = [];
    const reports: string[] = [];
    const cancel = new vscode.CancellationTokenSource();
    const realWithProgress = vscode.window.withProgress;
    stubForTest({
      showErrorMessage: async (message: string) => {
        errors.push(message);
        return undefined;
      },
      showWarningMessage: async (message: string) => {
        asked.push(message);
        return answer;
      },
      withProgress: (
        options: vscode.ProgressOptions,
        task: (p: vscode.Progress<{ message?: string }>, t: vscode.CancellationToken) => Thenable<unknown>,
      ) =>
        realWithProgress(options, (progress) =>
          task(
            {
              report: (value) => {
                if (value.message) {
                  reports.push(value.message);
                  onReport(value.message);
                }
                progress.report(value);
              },
            },
            cancel.token,
          ),
        ),
    });
    return { asked, reports, cancel };
  }

  it('asks above the threshold, shows done/total progress and paints the template source', async () => {
    await open('otter-local.prompt');
    const { asked, reports } = stubRun('Run');
    const before = scoringCalls();
    await vscode.commands.executeCommand('promptLens.explain');
    assert.deepEqual(errors, []);
    const shown = snapshot();
    assert.ok(shown, 'an explanation is shown');
    const words = ['Tell', 'me', 'one', 'surprising', 'fact', 'about', 'the', 'sea', 'otter.'];
    const calls = words.length + 1;
    assert.deepEqual(asked, [`Run ${calls} scoring calls?`]);
    assert.equal(scoringCalls() - before, calls);
    assert.equal(reports.at(-1), `${calls}/${calls} scoring calls`);
    // "sea" and "otter." both come out of `{{ animal }}`: one span, the tag whole (with the period after it).
    assert.deepEqual(
      shown.spans.map((s) => s.text),
      ['Tell', 'me', 'one', 'surprising', 'fact', 'about', 'the', '{{ animal }}.'],
    );
    assert.ok(shown.tokenCount > 0, 'per-token views come from the same calls');
  });

  it('runs nothing when the cost question is declined', async () => {
    await open('otter-local.prompt');
    const { asked } = stubRun(undefined);
    const before = scoringCalls();
    await vscode.commands.executeCommand('promptLens.explain');
    assert.equal(asked.length, 1);
    assert.equal(scoringCalls(), before);
    assert.equal(snapshot(), undefined);
    assert.deepEqual(errors, []);
  });

  it('stops scoring when the progress notification is cancelled', async () => {
    await open('otter-local.prompt');
    const run = stubRun('Run', (message) => {
      if (/^[1-9]\d*\//.test(message)) run.cancel.cancel();
    });
    const before = scoringCalls();
    await vscode.commands.executeCommand('promptLens.explain');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(errors, [], 'a cancelled run is not an error');
    assert.equal(snapshot(), undefined);
    assert.ok(scoringCalls() - before < 10, `cancelled after ${scoringCalls() - before} of 10 calls`);
  });
});
