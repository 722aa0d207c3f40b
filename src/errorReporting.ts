import * as vscode from 'vscode';
import type { Ctx } from './ctx';

// Errors cross from the feature bundle, whose classes are not the shell's, so they are told apart
// by their `kind` (see src/core/errors.ts), never by instanceof.
export function kindOf(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'kind' in error && typeof error.kind === 'string')
    return error.kind;
  return undefined;
}

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
  [USE_LLAMA_CPP]: 'promptLens.useLlamaCppKind',
  'Set API Key': 'promptLens.setApiKey',
  'Select Profile': 'promptLens.selectProfile',
  'Show Log': 'promptLens.showLog',
};

/** Shows a command's failure once, at the command boundary, with what the user can do next. */
export async function reportError(ctx: Ctx, commandId: string, error: unknown): Promise<void> {
  const kind = kindOf(error);
  if (kind === 'cancelled' || (error instanceof Error && error.name === 'AbortError')) {
    ctx.log.info(`${commandId} cancelled`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
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
