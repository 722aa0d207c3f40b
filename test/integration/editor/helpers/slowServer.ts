// A llama.cpp test server for the slow-server suites: a fresh profile per test (so the capability
// check is asked afresh), request counts by path, and a recorder of the progress VS Code is asked to show.
import * as vscode from 'vscode';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../../fixtures/llamaCpp';
import { closeAllEditors, extensionCtx, stubWindow, useProfile } from '../../helpers';
import type { Ctx } from '../../../../src/ctx';

/** The prompt both slow-server suites complete. */
export const PROMPT = 'Once upon a time the cat';

/** A measured figure, printed with the suite's output (the runner shows only marked lines). */
export function figure(text: string): void {
  console.log(`[prompt-lens-test] [slow-server] ${text}`);
}

export interface ShownProgress {
  title: string;
  location: vscode.ProgressOptions['location'];
  /** The task's promise settled. */
  ended: boolean;
  cancellable: boolean;
  at: number;
  cancel: vscode.CancellationTokenSource;
}

/** Records each progress VS Code is asked to show; its Cancel is pressed through `cancel`. */
export function recordProgress(): { shown: ShownProgress[]; restore: () => void } {
  const shown: ShownProgress[] = [];
  const restore = stubWindow('withProgress', ((
    options: vscode.ProgressOptions,
    task: (progress: vscode.Progress<unknown>, token: vscode.CancellationToken) => unknown,
  ) => {
    const cancel = new vscode.CancellationTokenSource();
    const entry: ShownProgress = {
      title: options.title ?? '',
      location: options.location,
      ended: false,
      cancellable: options.cancellable === true,
      at: Date.now(),
      cancel,
    };
    shown.push(entry);
    const result = Promise.resolve(task({ report: () => undefined }, cancel.token));
    void result.finally(() => (entry.ended = true)).catch(() => undefined);
    return result;
  }) as never);
  return { shown, restore };
}

export interface SlowServerSuite {
  ctx: Ctx;
  server: LlamaCppServerHandle;
  /** Makes a new profile on the server active, with these `promptLens.*` settings. */
  useSlowProfile(settings: Record<string, unknown>): Promise<void>;
  /** Requests the server has received on `path`. */
  count(path: string): number;
}

/** Registers the suite's hooks in the calling `describe`; the fields are set once `before` ran. */
export function slowServerSuite(): SlowServerSuite {
  let restoreProfile: (() => Promise<void>) | undefined;
  let profileIndex = 0;
  const suite = {
    async useSlowProfile(settings: Record<string, unknown>): Promise<void> {
      await restoreProfile?.();
      restoreProfile = await useProfile(
        { name: `llama (slow ${++profileIndex})`, kind: 'llama-cpp', url: suite.server.url },
        { 'completion.maxTokens': 8, 'completion.temperature': 0, ...settings },
      );
    },
    count: (path: string): number => suite.server.requests.filter((r) => r.path === path).length,
  } as SlowServerSuite;
  before(async () => {
    suite.ctx = await extensionCtx();
    suite.server = await startLlamaCppServer();
  });
  afterEach(async () => {
    suite.server.setFaults({});
    await closeAllEditors();
  });
  after(async () => {
    await restoreProfile?.();
    await suite.server.close();
  });
  return suite;
}
