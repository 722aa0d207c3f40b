import { messageOf } from '../../core/errors';
import * as vscode from 'vscode';
import type { PromptDiagnostic } from '../../core/promptFile/index';
import { RenderCancelledError } from '../../core/render/workerRenderer';
import type { Ctx } from '../../ctx';
import { backendKeyOffset } from '../../core/useCases/index';
import { profileChoice } from '../common/profiles';
import { isPromptFile, renderTemplate } from '../common/promptSource';
import { renderCache } from '../common/renderCache';

const DEBOUNCE_MS = 300;
export const DIAGNOSTIC_SOURCE = 'Prompt Lens';

const SEVERITY: Record<PromptDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** A template problem as VS Code shows it: the core's exact range, severity and code. */
export function toDiagnostic(problem: PromptDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(problem.line, problem.column, problem.endLine, problem.endColumn);
  const diagnostic = new vscode.Diagnostic(range, problem.message, SEVERITY[problem.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  if (problem.code) diagnostic.code = problem.code;
  return diagnostic;
}

/**
 * Problems of `.prompt` files (YAML, Liquid, unknown parameters, missing images...) in the Problems
 * view: on open, as the user types (debounced), cleared on close. Rendering runs in the render
 * worker and reads files only through the file policy: none in an untrusted workspace.
 */
export function registerDiagnostics(ctx: Ctx): vscode.DiagnosticCollection {
  const collection = ctx.own(vscode.languages.createDiagnosticCollection('promptLens'));
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const update = async (document: vscode.TextDocument): Promise<void> => {
    const version = document.version;
    try {
      const render = await renderTemplate(ctx, document);
      // A newer edit has its own update scheduled; a closed document keeps no problems.
      if (document.version !== version || document.isClosed) return;
      const unknown = unknownProfileDiagnostic(ctx, document, render.settings.backend);
      collection.set(document.uri, [...render.diagnostics.map(toDiagnostic), ...(unknown ? [unknown] : [])]);
    } catch (error) {
      // A newer version of the document is being rendered, or the document closed: that
      // version's update (if any) shows the result.
      if (error instanceof RenderCancelledError) return;
      ctx.log.error(`checking ${document.uri.toString(true)} failed: ${messageOf(error)}`);
    }
  };
  const schedule = (document: vscode.TextDocument, delayMs: number): void => {
    if (!isPromptFile(document)) return;
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        void update(document);
      }, delayMs),
    );
  };
  const forget = (document: vscode.TextDocument): void => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.delete(key);
    collection.delete(document.uri);
  };

  ctx.own(vscode.workspace.onDidOpenTextDocument((document) => schedule(document, 0)));
  ctx.own(
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0) schedule(event.document, DEBOUNCE_MS);
    }),
  );
  ctx.own(vscode.workspace.onDidCloseTextDocument(forget));
  // Which parameters are known depends on the active profile's kind; which `backend:` names exist, on the profiles.
  ctx.own(
    ctx.settings.onDidChange(() =>
      vscode.workspace.textDocuments.forEach((document) => schedule(document, 0)),
    ),
  );
  // Images and includes refused while untrusted can be read now.
  ctx.own(
    vscode.workspace.onDidGrantWorkspaceTrust(() =>
      vscode.workspace.textDocuments.forEach((document) => schedule(document, 0)),
    ),
  );
  // An included file or image changed on disk (or trust, or the file limits): the problems may have too.
  ctx.own(
    ctx.service(renderCache).onDidDrop((uri) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      if (document) schedule(document, DEBOUNCE_MS);
    }),
  );
  ctx.own({ dispose: () => timers.forEach((timer) => clearTimeout(timer)) });
  for (const document of vscode.workspace.textDocuments) schedule(document, 0);
  return collection;
}

/** A warning on the `backend:` key when it names no configured profile: the file's requests would fail. */
function unknownProfileDiagnostic(
  ctx: Ctx,
  document: vscode.TextDocument,
  backend: string | undefined,
): vscode.Diagnostic | undefined {
  const choice = profileChoice(ctx, backend);
  if (choice.setBy !== 'file' || choice.profile) return undefined;
  const offset = backendKeyOffset(document.getText()) ?? 0;
  const line = document.lineAt(document.positionAt(offset).line).range;
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(document.positionAt(offset), line.end),
    `No profile named "${choice.requested}" is configured (${choice.names.length > 0 ? choice.names.map((n) => `"${n}"`).join(', ') : 'none'}): requests from this file fail until the name matches a profile in promptLens.profiles, or the line is removed to use the active profile.`,
    vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = 'unknown-profile';
  return diagnostic;
}
