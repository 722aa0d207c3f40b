import { COMMAND } from './ids';
import { kindOf, messageOf } from './core/errors';
import * as vscode from 'vscode';
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

const ACTION_COMMANDS: Record<string, string> = {
  [USE_LLAMA_CPP]: COMMAND.useLlamaCppKind,
  'Set API Key': COMMAND.setApiKey,
  'Select Profile': COMMAND.selectProfile,
  'Show Log': COMMAND.showLog,
};

/** Shows a command's failure once, at the command boundary, with what the user can do next. */
export async function reportError(ctx: Ctx, commandId: string, error: unknown): Promise<void> {
  const kind = kindOf(error);
  if (kind === 'cancelled' || (error instanceof Error && error.name === 'AbortError')) {
    ctx.log.info(`${commandId} cancelled`);
    return;
  }
  const message = messageOf(error);
  ctx.log.error(`${commandId} failed${kind ? ` (${kind})` : ''}: ${message}`);
  if (error instanceof Error && error.stack && !kind) ctx.log.debug(error.stack);
  // A server recognisably of another kind (an OpenAI-compatible profile on llama.cpp) offers the switch.
  const suggested =
    error && typeof error === 'object' && 'suggestedKind' in error ? error.suggestedKind : undefined;
  const actions = suggested === 'llama-cpp' ? [USE_LLAMA_CPP, ...actionsFor(kind)] : actionsFor(kind);
  const choice = await vscode.window.showErrorMessage(`Prompt Lens: ${message}`, ...actions);
  const command = choice && ACTION_COMMANDS[choice];
  if (command) await vscode.commands.executeCommand(command);
}
