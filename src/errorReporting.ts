import { COMMAND } from './ids';
import { isRetryableKind, kindOf, messageOf } from './core/errors';
import * as vscode from 'vscode';
import { notificationText } from './core/format';
import { backendKeyOffset } from './core/useCases/index';
import { WITH_ACTIVE_PROFILE, type CommandRun } from './commandRun';
import type { Ctx } from './ctx';

const USE_LLAMA_CPP = 'Use llama.cpp Kind';
const SET_API_KEY = 'Set API Key';
const SELECT_PROFILE = 'Select Profile';
const SHOW_LOG = 'Show Log';
export const GO_TO_LINE = 'Go to line';
export const RUN_WITH_ACTIVE_PROFILE = 'Run with the active profile';
export const RETRY = 'Retry';

/** What a feature adds to its failure: how to run it again, and what became of its partial output. */
export interface ErrorContext {
  /** Runs the same request again; absent, Retry re-runs the command with the same arguments. */
  retry?: () => unknown;
  /** Retry cannot be offered (e.g. kept text was edited since). */
  noRetry?: boolean;
  /** A sentence added to the message (e.g. what was kept of a stream that died midway). */
  note?: string;
  /** Added after `note` only where Retry is offered (what Retry does to the kept text). */
  retryNote?: string;
  /** Releases what `retry` holds on to, once the report is closed. */
  dispose?: () => void;
}

const contexts = new WeakMap<object, ErrorContext>();

/** Attaches `context` to `error` (an object) for the command boundary's report; returns the error. */
export function withErrorContext<E>(error: E, context: ErrorContext): E {
  if (typeof error === 'object' && error !== null)
    contexts.set(error, { ...contexts.get(error), ...context });
  return error;
}

/** Problems of the prompt itself, not of the server it went to: the file's profile is not to blame. */
const PROMPT_KINDS = new Set(['template', 'bad-request', 'context-overflow', 'usage', 'cancelled']);

export interface FailureFacts {
  /** `kindOf` the error. */
  kind: string | undefined;
  /** A server recognisably of another kind (an OpenAI-compatible profile on llama.cpp). */
  suggestedKind?: unknown;
  /** The file's `backend:` chose the profile the request went to (or named one that does not exist). */
  profileSetByFile?: boolean;
  /** The failed request can be run again (offered as Retry when another try may help). */
  canRetry?: boolean;
}

/**
 * The buttons of a failed command's notification, most useful first. One place, so a new action
 * (e.g. Retry) is added here and handled in `runAction`.
 */
export function errorActions(facts: FailureFacts): string[] {
  const others = otherActions(facts);
  return offersRetry(facts) ? [RETRY, ...others] : others;
}

function offersRetry({ kind, canRetry }: FailureFacts): boolean {
  return canRetry === true && isRetryableKind(kind);
}

function otherActions({ kind, suggestedKind, profileSetByFile }: FailureFacts): string[] {
  if (profileSetByFile && !PROMPT_KINDS.has(kind ?? '')) {
    // Selecting another profile cannot help: the file's `backend:` would still pick this one.
    return [GO_TO_LINE, RUN_WITH_ACTIVE_PROFILE, kind === 'authentication' ? SET_API_KEY : SHOW_LOG];
  }
  const actions = actionsFor(kind);
  return suggestedKind === 'llama-cpp' ? [USE_LLAMA_CPP, ...actions] : actions;
}

function actionsFor(kind: string | undefined): string[] {
  switch (kind) {
    case 'authentication':
      return [SET_API_KEY, SELECT_PROFILE];
    case 'connection':
    case 'not-found':
    case 'configuration':
      return [SELECT_PROFILE, SHOW_LOG];
    case 'quota':
    case 'unsupported':
      return [SELECT_PROFILE];
    default:
      return [SHOW_LOG];
  }
}

const ACTION_COMMANDS: Record<string, string> = {
  [USE_LLAMA_CPP]: COMMAND.useLlamaCppKind,
  [SELECT_PROFILE]: COMMAND.selectProfile,
  [SHOW_LOG]: COMMAND.showLog,
};

/**
 * Shows a command's failure once, at the command boundary, with what the user can do next. `rerun`
 * runs the command again as it was invoked: offered as Retry where another try may help, unless the
 * feature attached its own retry (see `withErrorContext`).
 */
export async function reportError(
  ctx: Ctx,
  commandId: string,
  error: unknown,
  run?: CommandRun,
  rerun?: () => unknown,
): Promise<void> {
  const kind = kindOf(error);
  const context = (typeof error === 'object' && error !== null && contexts.get(error)) || {};
  if (kind === 'cancelled' || (error instanceof Error && error.name === 'AbortError')) {
    context.dispose?.();
    ctx.log.info(`${commandId} cancelled`);
    return;
  }
  const retry = context.noRetry ? undefined : (context.retry ?? rerun);
  const suggestedKind =
    error && typeof error === 'object' && 'suggestedKind' in error ? error.suggestedKind : undefined;
  const fileChoice = run?.promptDocument !== undefined ? run.fileChoice : undefined;
  const facts = {
    kind,
    suggestedKind,
    profileSetByFile: fileChoice !== undefined,
    canRetry: retry !== undefined,
  };
  const notes = [context.note, offersRetry(facts) ? context.retryNote : undefined].filter(Boolean);
  const message = [messageOf(error), ...notes].join(' ');
  ctx.log.error(`${commandId} failed${kind ? ` (${kind})` : ''}: ${message}`);
  if (error instanceof Error && error.stack && !kind) ctx.log.debug(error.stack);
  let choice: string | undefined;
  try {
    choice = await vscode.window.showErrorMessage(
      `Prompt Lens: ${notificationText(message)}`,
      ...errorActions(facts),
    );
    if (choice === RETRY && retry) {
      ctx.log.info(`${commandId}: retrying`);
      try {
        // Within the same command run: a "Run with the active profile" run retries as one too.
        await (run ? ctx.runs.run(run, () => retry()) : retry());
      } catch (retryError) {
        await reportError(ctx, commandId, retryError, run, rerun);
      }
      return;
    }
  } finally {
    context.dispose?.();
  }
  if (choice) await runAction(ctx, choice, commandId, run);
}

async function runAction(ctx: Ctx, action: string, commandId: string, run?: CommandRun): Promise<void> {
  const document = run?.promptDocument;
  if (action === GO_TO_LINE && document) return goToBackendLine(ctx, vscode.Uri.parse(document));
  if (action === RUN_WITH_ACTIVE_PROFILE && document) {
    // The same command on the same file, this once without the file's `backend:`; the file is not edited.
    await vscode.window.showTextDocument(vscode.Uri.parse(document), { preview: false });
    await vscode.commands.executeCommand(commandId, WITH_ACTIVE_PROFILE);
    return;
  }
  if (action === SET_API_KEY) {
    await vscode.commands.executeCommand(COMMAND.setApiKey, run?.fileChoice?.profile);
    return;
  }
  const command = ACTION_COMMANDS[action];
  if (command) await vscode.commands.executeCommand(command);
}

/** Opens the file and selects its `backend:` key (the first line when the key is gone by now). */
async function goToBackendLine(ctx: Ctx, uri: vscode.Uri): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const offset = backendKeyOffset(document.getText());
  if (offset === undefined) ctx.log.info(`${uri.toString(true)} no longer has a backend: key`);
  const start = document.positionAt(offset ?? 0);
  const range = new vscode.Range(start, offset === undefined ? start : start.translate(0, 'backend'.length));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
