import { COMMAND } from './ids';
import { kindOf, messageOf } from './core/errors';
import * as vscode from 'vscode';
import { notificationText } from './core/format';
import type { Ctx } from './ctx';

function actionsFor(kind: string | undefined): string[] {
  switch (kind) {
    case 'authentication':
      return ['Set API Key', 'Select Profile'];
    case 'connection':
    case 'not-found':
    case 'configuration':
      return ['Select Profile', 'Show Log'];
    case 'quota':
    case 'unsupported':
      return ['Select Profile'];
    default:
      return ['Show Log'];
  }
}

const USE_LLAMA_CPP = 'Use llama.cpp Kind';
export const RETRY = 'Retry';

/** Failures another try may cure: a timeout, a lost connection, a rate limit, a busy server. */
const RETRYABLE_KINDS = new Set(['timeout', 'connection', 'rate-limit', 'busy']);

/** What a feature adds to its failure: how to run it again, and what became of its partial output. */
export interface ErrorContext {
  /** Runs the same request again; absent, Retry re-runs the command with the same arguments. */
  retry?: () => unknown;
  /** Retry cannot be offered (e.g. kept text was edited since): said instead of offering it. */
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

const ACTION_COMMANDS: Record<string, string> = {
  [USE_LLAMA_CPP]: COMMAND.useLlamaCppKind,
  'Set API Key': COMMAND.setApiKey,
  'Select Profile': COMMAND.selectProfile,
  'Show Log': COMMAND.showLog,
};

/**
 * Shows a command's failure once, at the command boundary, with what the user can do next. `rerun`
 * runs the command again as it was invoked: offered as Retry where another try may help.
 */
export async function reportError(
  ctx: Ctx,
  commandId: string,
  error: unknown,
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
  const offerRetry = retry !== undefined && kind !== undefined && RETRYABLE_KINDS.has(kind);
  const notes = [context.note, offerRetry ? context.retryNote : undefined].filter(Boolean);
  const message = [messageOf(error), ...notes].join(' ');
  ctx.log.error(`${commandId} failed${kind ? ` (${kind})` : ''}: ${message}`);
  if (error instanceof Error && error.stack && !kind) ctx.log.debug(error.stack);
  // A server recognisably of another kind (an OpenAI-compatible profile on llama.cpp) offers the switch.
  const suggested =
    error && typeof error === 'object' && 'suggestedKind' in error ? error.suggestedKind : undefined;
  const actions = suggested === 'llama-cpp' ? [USE_LLAMA_CPP, ...actionsFor(kind)] : actionsFor(kind);
  if (offerRetry) actions.unshift(RETRY);
  let choice: string | undefined;
  try {
    choice = await vscode.window.showErrorMessage(`Prompt Lens: ${notificationText(message)}`, ...actions);
    if (choice === RETRY && retry) {
      ctx.log.info(`${commandId}: retrying`);
      try {
        await retry();
      } catch (retryError) {
        await reportError(ctx, commandId, retryError, rerun);
      }
      return;
    }
  } finally {
    context.dispose?.();
  }
  const command = choice && ACTION_COMMANDS[choice];
  if (command) await vscode.commands.executeCommand(command);
}
