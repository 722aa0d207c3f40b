import * as vscode from 'vscode';
import type { Ctx } from './ctx';

/** A command is a small factory: given the context, it returns the handler. */
type CommandFactory = (ctx: Ctx) => (...args: unknown[]) => unknown;

/** Every command of the extension, by the part of its id after `promptLens.`. */
export const commands: Record<string, CommandFactory> = {
  showLog: (ctx) => () => ctx.log.show(),
  newPromptFile: (ctx) => () => ctx.features().newPromptFile(),
};

export function registerCommands(ctx: Ctx): void {
  for (const [name, factory] of Object.entries(commands)) {
    const handler = factory(ctx);
    ctx.own(
      vscode.commands.registerCommand(`promptLens.${name}`, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (error) {
          // The one place a command's failure reaches the user: once, with a way to see more.
          const message = error instanceof Error ? error.message : String(error);
          ctx.log.error(`promptLens.${name} failed: ${message}`);
          const choice = await vscode.window.showErrorMessage(`Prompt Lens: ${message}`, 'Show Log');
          if (choice === 'Show Log') ctx.log.show();
          return undefined;
        }
      }),
    );
  }
}
