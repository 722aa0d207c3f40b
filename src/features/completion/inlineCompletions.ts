import * as vscode from 'vscode';
import { isCancellation } from '../../core/errors';
import { config } from '../../config';
import type { Ctx, ServiceKey } from '../../ctx';
import { reportError } from '../../errorReporting';
import { backendRegistry } from '../common/backends';
import { generatedTokens } from './generatedTokens';
import { inlineItems } from './inlineItems';
import { InlineRun, inlineKey } from './inlineRun';
import { inlinePrompt } from './inlinePrompt';
import { completionRequest } from '../../core/useCases/index';
import { completionDefaults } from '../common/requestOptions';
import { isPromptFile } from '../common/promptSource';
import { WITH_ACTIVE_PROFILE, type CommandRun } from '../../commandRun';

const COMPLETE_INLINE = 'promptLens.completeInline';
const NEVER_CANCELLED: vscode.CancellationToken = new vscode.CancellationTokenSource().token;

/** Run by VS Code when ghost text is accepted (the item's `command`); internal, not in the palette. */
export const ACCEPT_INLINE_COMMAND = 'promptLens.internal.inlineAccepted';
const RETRIGGER_MS = 60;
/** How long a cancelled first request's stream may wait for another request to pick it up. */
const ORPHAN_GRACE_MS = 150;
const REMEMBERED_RUNS = 20;

interface Served {
  run: InlineRun;
  /** Characters last shown as ghost text. */
  length: number;
  consumers: number;
  /** The run of the user's request (Complete Inline or VS Code's trigger); none for automatic ones. */
  userRun: CommandRun | undefined;
  /** What the start decided (the prompt file, the profile its `backend:` chose), for an error report. */
  startRun: CommandRun;
  retriggerPending: boolean;
  /** Set once the run's growth asks the editor again (one listener per run, not per request served). */
  followsGrowth: boolean;
  /** Set once the run ended and its failure, if any, was shown or logged. */
  ended: boolean;
}

/** A run that could not start (no prompt, no server); shown to the first user request that waited on it. */
interface StartFailure {
  failed: unknown;
  startRun: CommandRun;
  shown: boolean;
  logged: boolean;
}

type Starting = Promise<Served | StartFailure | undefined>;

/** The user's run, with what the start it joined decided (when that start was not its own). */
function withDecisions(userRun: CommandRun, startRun: CommandRun): CommandRun {
  if (userRun === startRun) return userRun;
  const { promptDocument, fileChoice } = startRun;
  if (promptDocument !== undefined) userRun.promptDocument ??= promptDocument;
  if (fileChoice !== undefined) userRun.fileChoice ??= fileChoice;
  return userRun;
}

function cancelRun(starting: Starting): void {
  void starting.then((outcome) => outcome && 'run' in outcome && outcome.run.cancel());
}

/** The status bar spinner of a user's request, until the run's first text or its failure. */
function spinWhile(starting: Starting): void {
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Prompt Lens: waiting for the inline completion' },
    () => finished,
  );
  void starting
    .then((outcome) => (outcome && 'run' in outcome ? outcome.run.waitForText(NEVER_CANCELLED) : undefined))
    .then(done, done);
}

/**
 * Ghost text that streams: VS Code takes one answer per request, so the first answer comes with the
 * first tokens, and each time the text grows the editor is asked again (hide + trigger) and served the
 * grown text from the in-flight run of the same document version and cursor offset. A new version of
 * the document (typing) cancels the runs of older ones.
 */
export class InlineCompletions implements vscode.Disposable {
  private readonly runs = new Map<string, Starting>();
  /** Runs whose wait a user's request already shows in the status bar. */
  private readonly spinning = new WeakSet<Starting>();
  private readonly recent = new Map<number, InlineRun>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly ctx: Ctx) {
    this.subscriptions = [
      vscode.commands.registerCommand(ACCEPT_INLINE_COMMAND, (id: unknown, index: unknown, length: unknown) =>
        this.accepted(id, index, length),
      ),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0)
          this.dropStale(event.document.uri.toString(), event.document.version);
      }),
    ];
  }

  async provide(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionList | undefined> {
    // Asked for by the user (Complete Inline, or VS Code's own trigger): a run of its own, whose
    // errors are shown like a command's.
    const requested = this.ctx.inlineRequest.take();
    const userRun =
      requested ??
      (context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke
        ? { ignoreFileBackend: false }
        : undefined);
    const explicit = userRun !== undefined;
    const key = inlineKey(document, position);
    if (!this.runs.has(key) && !explicit && !(await debounce(config.inlineDebounceMs(), token)))
      return undefined;
    let starting = this.runs.get(key);
    if (!starting) {
      // An automatic run gets a run of its own too (never a command's it was called within), so that
      // a user's request joining it can report its failure with the file's profile actions.
      const startRun = userRun ?? { ignoreFileBackend: false };
      starting = this.ctx.runs.run(startRun, () => this.start(document, position, key, startRun, userRun));
      this.runs.set(key, starting);
    }
    if (userRun && !this.spinning.has(starting)) {
      this.spinning.add(starting);
      spinWhile(starting);
    }
    const outcome = await starting;
    if (!outcome || !('run' in outcome)) {
      if (this.runs.get(key) === starting) this.runs.delete(key);
      if (outcome) this.reportStartFailure(outcome, userRun);
      return undefined;
    }
    const served = outcome;
    // The user asked where an automatic run was already under way: it is theirs now, failure included.
    if (userRun && !served.userRun) this.adopt(served, userRun);
    served.consumers++;
    try {
      await served.run.waitForText(token);
    } finally {
      served.consumers--;
    }
    const { run } = served;
    if (token.isCancellationRequested && served.length === 0) {
      this.cancelIfOrphaned(key, served);
      return undefined;
    }
    if (run.length === 0) return undefined;
    served.length = run.length;
    if (!run.done && !served.followsGrowth) {
      served.followsGrowth = true;
      run.onDidGrow(() => this.scheduleRetrigger(key, served));
    }
    return new vscode.InlineCompletionList(inlineItems(run, position, ACCEPT_INLINE_COMMAND));
  }

  private async start(
    document: vscode.TextDocument,
    position: vscode.Position,
    key: string,
    startRun: CommandRun,
    userRun: CommandRun | undefined,
  ): Promise<Served | StartFailure | undefined> {
    const { version } = document;
    // The error report offers "Go to line" in this file when its `backend:` chose the profile.
    if (isPromptFile(document)) startRun.promptDocument = document.uri.toString();
    try {
      const prompt = await inlinePrompt(this.ctx, document, position);
      if (!prompt) return undefined;
      const registry = this.ctx.service(backendRegistry);
      const { profile, backend, model } = await registry.connect(
        prompt.settings?.backend,
        prompt.settings?.model,
      );
      const capabilities = await registry.capabilities(profile, backend);
      if (document.version !== version || document.isClosed) return undefined;
      const run = new InlineRun(key, document.uri.toString(), version, document.offsetAt(position));
      run.source = profile.name;
      const request = completionRequest(prompt.prompt, model, prompt.settings, completionDefaults());
      const served: Served = {
        run,
        length: 0,
        consumers: 0,
        userRun,
        startRun,
        retriggerPending: false,
        followsGrowth: false,
        ended: false,
      };
      this.remember(run);
      void run.start(backend, capabilities.stream, request).then(() => this.ended(key, served));
      return served;
    } catch (error) {
      return { failed: error, startRun, shown: false, logged: false };
    }
  }

  /** Shows a start failure to the first user request that waited on it; logs it once otherwise. */
  private reportStartFailure(failure: StartFailure, userRun: CommandRun | undefined): void {
    if (failure.shown || (!userRun && failure.logged)) return;
    if (userRun) failure.shown = true;
    else failure.logged = true;
    this.fail(failure.failed, userRun && withDecisions(userRun, failure.startRun));
  }

  private adopt(served: Served, userRun: CommandRun): void {
    served.userRun = withDecisions(userRun, served.startRun);
    // Already ended: its failure was only logged, so show it now.
    if (served.ended && this.failedForReal(served.run)) this.fail(served.run.error, userRun);
  }

  private failedForReal(run: InlineRun): boolean {
    return run.error !== undefined && !isCancellation(run.error) && !run.abort.signal.aborted;
  }

  private ended(key: string, served: Served): void {
    const { run } = served;
    served.ended = true;
    if (run.error !== undefined) {
      this.runs.delete(key);
      if (this.failedForReal(run)) this.fail(run.error, served.userRun);
      return;
    }
    this.ctx.log.debug(`inline completion: ${run.length} characters`);
    if (run.length > served.length && served.length > 0) this.scheduleRetrigger(key, served);
  }

  /** Shows the failure of a user's request as a command's (with the file's profile actions); logs others. */
  private fail(error: unknown, userRun: CommandRun | undefined): void {
    if (userRun)
      void reportError(this.ctx, COMPLETE_INLINE, error, userRun, () =>
        // Retry asks again the way the failed request was asked: with the active profile if it was.
        vscode.commands.executeCommand(
          COMPLETE_INLINE,
          ...(userRun.ignoreFileBackend ? [WITH_ACTIVE_PROFILE] : []),
        ),
      );
    else
      this.ctx.log.warn(
        `inline completion failed: ${error instanceof Error ? error.message : String(error)}`,
      );
  }

  /** Asks the editor again once the text has grown, if the cursor is still where the run started. */
  private scheduleRetrigger(key: string, served: Served): void {
    if (served.retriggerPending) return;
    served.retriggerPending = true;
    setTimeout(() => {
      served.retriggerPending = false;
      const { run } = served;
      const editor = vscode.window.activeTextEditor;
      if (!editor || !this.runs.has(key) || run.length <= served.length) return;
      const { document, selection } = editor;
      if (
        document.uri.toString() !== run.uri ||
        document.version !== run.version ||
        !selection.isEmpty ||
        document.offsetAt(selection.active) !== run.offset
      )
        return;
      void retrigger();
    }, RETRIGGER_MS);
  }

  private cancelIfOrphaned(key: string, served: Served): void {
    setTimeout(() => {
      if (served.consumers > 0 || served.length > 0) return;
      served.run.cancel();
      if (this.runs.get(key)) this.runs.delete(key);
    }, ORPHAN_GRACE_MS);
  }

  private dropStale(uri: string, version: number): void {
    for (const [key, starting] of this.runs) {
      if (!key.startsWith(`${uri}#`) || key.startsWith(`${uri}#${version}@`)) continue;
      this.runs.delete(key);
      cancelRun(starting);
    }
  }

  private remember(run: InlineRun): void {
    this.recent.set(run.id, run);
    for (const id of this.recent.keys()) {
      if (this.recent.size <= REMEMBERED_RUNS) break;
      this.recent.delete(id);
    }
  }

  /** Ghost text was accepted: remember its tokens where it landed, if it landed as served. */
  private accepted(id: unknown, index: unknown, length: unknown): void {
    const run = typeof id === 'number' ? this.recent.get(id) : undefined;
    const choice = run && typeof index === 'number' ? run.choices.choiceIfKnown(index) : undefined;
    if (!run || !choice || typeof length !== 'number') return;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === run.uri);
    const text = choice.placer.completionText.slice(0, length);
    if (!document || document.getText().slice(run.offset, run.offset + length) !== text) {
      this.ctx.log.debug('accepted ghost text is not where it was offered; its tokens are not kept');
      return;
    }
    const source = run.source;
    const pieces = choice.placer
      .pieces(0, length, run.offset)
      .map((piece) => ({ ...piece, ...(source !== undefined && { source }) }));
    this.ctx.service(generatedTokens).add(document, pieces);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const starting of this.runs.values()) cancelRun(starting);
    this.runs.clear();
  }
}

/**
 * Asks the editor for ghost text again. A plain explicit trigger at the same version and position is
 * answered by VS Code from the result it already has, so the shown suggestion is hidden first.
 */
async function retrigger(): Promise<void> {
  await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
}

/** Waits `ms`; false when the request was cancelled meanwhile (the user kept typing). */
function debounce(ms: number, token: vscode.CancellationToken): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!token.isCancellationRequested);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      resolve(!token.isCancellationRequested);
    }, ms);
    const subscription = token.onCancellationRequested(() => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(false);
    });
  });
}

export const inlineCompletions: ServiceKey<InlineCompletions> = {
  name: 'inlineCompletions',
  create: (ctx) => new InlineCompletions(ctx),
};
