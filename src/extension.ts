import type * as vscode from 'vscode';
import { Ctx } from './ctx';
import { registerCommands } from './commands';
import { registerProviders } from './providers';

/** What `activate` returns: used by the integration tests and the activation benchmark. */
export interface PromptLensApi {
  readonly ctx: Ctx;
  readonly activationMs: number;
  /** Milliseconds of each step of activate(), for the activation benchmark. */
  readonly activationSteps: Record<string, number>;
}

// Activation only wires features; anything heavy is loaded by Ctx.features() on first use.
export function activate(context: vscode.ExtensionContext): PromptLensApi {
  const started = performance.now();
  const activationSteps: Record<string, number> = {};
  let last = started;
  const step = (name: string): void => {
    const now = performance.now();
    activationSteps[name] = now - last;
    last = now;
  };
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  step('context');
  registerCommands(ctx);
  step('commands');
  registerProviders(ctx, step);
  const activationMs = performance.now() - started;
  ctx.log.info(`Prompt Lens ${PROMPT_LENS_VERSION} activated in ${activationMs.toFixed(2)} ms`);
  return { ctx, activationMs, activationSteps };
}

export function deactivate(): void {
  // Ctx is disposed through context.subscriptions.
}
