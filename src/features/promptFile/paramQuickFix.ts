import * as vscode from 'vscode';
import { EQUIVALENT_PHRASE } from '../../core/promptFile/params';
import type { Ctx } from '../../ctx';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

const EQUIVALENT = new RegExp(`${EQUIVALENT_PHRASE} \`([^\`]+)\``);

/**
 * Quick fix for a parameter of another backend (`n_predict` on an Aleph Alpha profile): rename the
 * key to the active backend's name for the same setting, as the diagnostic names it.
 */
export function paramQuickFixes(
  document: vscode.TextDocument,
  diagnostics: readonly vscode.Diagnostic[],
): vscode.CodeAction[] {
  const fixes: { diagnostic: vscode.Diagnostic; from: string; to: string }[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || diagnostic.code !== 'unknown-param') continue;
    const to = EQUIVALENT.exec(diagnostic.message)?.[1];
    if (to) fixes.push({ diagnostic, from: document.getText(diagnostic.range), to });
  }
  const actions = fixes.map(({ diagnostic, from, to }) => {
    const action = new vscode.CodeAction(`Rename \`${from}\` to \`${to}\``, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    action.edit = new vscode.WorkspaceEdit();
    action.edit.replace(document.uri, diagnostic.range, to);
    return action;
  });
  return actions;
}

/** Every unknown-parameter diagnostic of a document that has an equivalent, for "rename all". */
function allFixes(document: vscode.TextDocument): vscode.CodeAction | undefined {
  const every = paramQuickFixes(document, vscode.languages.getDiagnostics(document.uri));
  if (every.length < 2) return undefined;
  const action = new vscode.CodeAction(
    'Rename every parameter to its equivalent on this backend',
    vscode.CodeActionKind.QuickFix,
  );
  action.edit = new vscode.WorkspaceEdit();
  for (const fix of every)
    for (const d of fix.diagnostics ?? []) action.edit.replace(document.uri, d.range, fixTarget(fix));
  action.diagnostics = every.flatMap((fix) => fix.diagnostics ?? []);
  return action;
}

function fixTarget(action: vscode.CodeAction): string {
  return /to `([^`]+)`$/.exec(action.title)?.[1] ?? '';
}

export function registerParamQuickFix(ctx: Ctx): void {
  ctx.own(
    vscode.languages.registerCodeActionsProvider(
      { language: 'liquid-prompt' },
      {
        provideCodeActions: (document, _range, context) => {
          const actions = paramQuickFixes(document, context.diagnostics);
          if (actions.length === 0) return actions;
          const all = allFixes(document);
          return all ? [...actions, all] : actions;
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
  );
}
