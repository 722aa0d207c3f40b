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

const ACTION_COMMANDS: Record<string, string> = {
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
  const choice = await vscode.window.showErrorMessage(`Prompt Lens: ${message}`, ...actionsFor(kind));
  const command = choice && ACTION_COMMANDS[choice];
  if (command) await vscode.commands.executeCommand(command);
}
