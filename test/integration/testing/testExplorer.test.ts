import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Ctx } from '../../../src/ctx';
import { promptTests, type PromptTestsHandle } from '../../../src/features/testing/register';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp';
import { closeAllEditors, extensionCtx, openWorkspaceFile, useProfile, waitFor } from '../helpers';

interface Recorded {
  started: string[];
  passed: string[];
  failed: { id: string; messages: vscode.TestMessage[]; duration?: number }[];
  errored: string[];
  ended: boolean;
}

/** Wraps the controller's test runs, so what the runner reports to VS Code can be read back. */
function recordRuns(controller: vscode.TestController): { runs: Recorded[]; restore: () => void } {
  const runs: Recorded[] = [];
  const original = controller.createTestRun.bind(controller);
  controller.createTestRun = (request, name, persist) => {
    const run = original(request, name, persist);
    const recorded: Recorded = { started: [], passed: [], failed: [], errored: [], ended: false };
    runs.push(recorded);
    return new Proxy(run, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const item = args[0] as vscode.TestItem;
          if (key === 'started') recorded.started.push(item.id);
          if (key === 'passed') recorded.passed.push(item.id);
          if (key === 'errored') recorded.errored.push(item.id);
          if (key === 'failed') {
            const messages = args[1] as vscode.TestMessage | vscode.TestMessage[];
            recorded.failed.push({
              id: item.id,
              messages: Array.isArray(messages) ? messages : [messages],
              duration: args[2] as number,
            });
          }
          if (key === 'end') recorded.ended = true;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  };
  return { runs, restore: () => (controller.createTestRun = original) };
}

describe('Test Explorer: prompt tests', () => {
  let ctx: Ctx;
  let server: LlamaCppServerHandle;
  let handle: PromptTestsHandle;
  let restoreProfile: () => Promise<void>;

  before(async () => {
    ctx = await extensionCtx();
    handle = ctx.service(promptTests);
    server = await startLlamaCppServer({ slots: 2 });
    restoreProfile = await useProfile({ name: 'llama (tests)', kind: 'llama-cpp', url: server.url });
  });
  after(async () => {
    await closeAllEditors();
    await restoreProfile();
    await server.close();
  });

  const fileItem = () => {
    let found: vscode.TestItem | undefined;
    handle.controller.items.forEach((item) => {
      if (item.id.endsWith('/tests/quiz.prompt')) found = item;
    });
    return found;
  };
  const children = (item: vscode.TestItem) => {
    const list: vscode.TestItem[] = [];
    item.children.forEach((child) => void list.push(child));
    return list;
  };

  it('lists the files with tests, one item per case at its line, and the dataset lazily', async () => {
    await handle.controller.resolveHandler?.(undefined);
    const file = fileItem();
    assert.ok(file, 'quiz.prompt is listed');
    assert.equal(file.range?.start.line, 5, 'the file item points at `tests:`');
    const [first, second, dataset] = children(file);
    assert.deepEqual(
      [first?.label, first?.range?.start.line, second?.label, second?.range?.start.line],
      ['stays on topic', 6, 'knows the capital', 11],
    );
    assert.equal(dataset?.label, 'quiz.jsonl');
    assert.equal(dataset?.canResolveChildren, true);
    assert.equal(children(dataset!).length, 0, 'not read before it is expanded');
    await handle.controller.resolveHandler?.(dataset);
    assert.deepEqual(
      children(dataset!).map((c) => [
        c.label,
        c.uri?.path.endsWith('/tests/quiz.jsonl'),
        c.range?.start.line,
      ]),
      [
        ['peru', true, 0],
        ['chile', true, 1],
      ],
    );
  });

  it('runs the file: passes, failures with expected/actual diffs at the case line, durations', async () => {
    const { runs, restore } = recordRuns(handle.controller);
    try {
      const file = fileItem()!;
      const source = new vscode.CancellationTokenSource();
      await handle.run.runHandler(new vscode.TestRunRequest([file], undefined, handle.run), source.token);
      const run = runs[0]!;
      assert.ok(run.ended);
      const id = (name: string) =>
        children(file)
          .flatMap((c) => [c, ...children(c)])
          .find((c) => c.label === name)!.id;
      assert.deepEqual(run.passed.sort(), [id('stays on topic'), id('peru')].sort());
      assert.deepEqual(run.failed.map((f) => f.id).sort(), [id('knows the capital'), id('chile')].sort());
      assert.equal(run.started.length, 4);
      const chile = run.failed.find((f) => f.id === id('chile'))!;
      const message = chile.messages[0]!;
      assert.equal(message.expectedOutput, 'Santiago');
      assert.equal(typeof message.actualOutput, 'string');
      assert.match(String(message.message), /^equals "Santiago": does not hold; the completion was /);
      assert.ok(message.location?.uri.path.endsWith('/tests/quiz.jsonl'));
      assert.equal(message.location?.range.start.line, 1);
      assert.ok((chile.duration ?? -1) >= 0);
      const history =
        ctx.extension.workspaceState.get<Record<string, { verdict: string }>>('promptLens.testResults') ?? {};
      assert.equal(history[id('chile')]?.verdict, 'failed', 'the last result is kept in the workspace state');
    } finally {
      restore();
    }
  });

  it('re-runs only the failed cases, and "Run tests" on the file goes through the same runner', async () => {
    const { runs, restore } = recordRuns(handle.controller);
    try {
      const file = fileItem()!;
      const failed = children(file).filter((c) => c.label === 'knows the capital');
      await handle.run.runHandler(
        new vscode.TestRunRequest(failed, undefined, handle.run),
        new vscode.CancellationTokenSource().token,
      );
      assert.deepEqual(runs[0]?.started, [failed[0]!.id]);
      const editor = await openWorkspaceFile('tests/quiz.prompt');
      await vscode.commands.executeCommand('promptLens.runTests', editor.document.uri);
      await waitFor(() => runs[1]?.ended === true, 'the CodeLens run to end');
      assert.equal(runs[1]?.started.length, 4);
    } finally {
      restore();
    }
  });

  it('cancels: the cases not yet done are skipped and the run ends', async () => {
    const { runs, restore } = recordRuns(handle.controller);
    try {
      const source = new vscode.CancellationTokenSource();
      source.cancel();
      await handle.run.runHandler(
        new vscode.TestRunRequest([fileItem()!], undefined, handle.run),
        source.token,
      );
      assert.ok(runs[0]?.ended);
      assert.equal(runs[0]?.passed.length, 0);
    } finally {
      restore();
    }
  });

  it('follows files on disk: a new file with tests appears, an edit changes its cases, a deletion removes it', async () => {
    await handle.controller.resolveHandler?.(undefined);
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const uri = vscode.Uri.joinPath(folder, 'tests', 'watched.prompt');
    const find = () => handle.controller.items.get(uri.toString());
    const write = (cases: string[]) =>
      vscode.workspace.fs.writeFile(
        uri,
        new TextEncoder().encode(
          `---\ntests:\n${cases.map((c) => `  - { name: ${c}, expect: [{ contains: x }] }`).join('\n')}\n---\nHi`,
        ),
      );
    await write(['one']);
    await waitFor(() => find() !== undefined, 'the new file to be listed');
    await write(['one', 'two']);
    await waitFor(
      () => (find() ? children(find()!).length === 2 : false),
      'the edited file to list two cases',
    );
    await vscode.workspace.fs.delete(uri);
    await waitFor(() => find() === undefined, 'the deleted file to be removed');
  });

  it('shows a "Run tests" CodeLens on the `tests:` key', async () => {
    const { document } = await openWorkspaceFile('tests/quiz.prompt');
    let lenses: vscode.CodeLens[] = [];
    await waitFor(async () => {
      lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider',
          document.uri,
        )) ?? [];
      return lenses.some((l) => l.command?.command === 'promptLens.runTests');
    }, 'the Run tests lens');
    const lens = lenses.find((l) => l.command?.command === 'promptLens.runTests')!;
    assert.equal(lens.range.start.line, 5);
    assert.match(lens.command?.title ?? '', /Run tests/);
  });
});
