// The active prompt as the panel's form shows it.
import type * as vscode from 'vscode';
import type { BackendKind } from '../../core/backend';
import { PARAMS_BY_KIND } from '../../core/promptFile/index';
import type { Ctx } from '../../ctx';
import { NO_PROMPT_STATE } from '../../webview/defaults';
import type { FormField, PromptState } from '../../webview/protocol';
import { varFieldView } from '../../core/useCases/index';
import { fileNameOf, isPromptFile, renderForKind } from '../common/promptSource';

export function displayValue(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

const isEditable = (value: unknown): boolean =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

export async function promptState(
  ctx: Ctx,
  document: vscode.TextDocument,
  kind: BackendKind | undefined,
): Promise<PromptState> {
  const base = {
    hasDocument: true,
    uri: document.uri.toString(),
    fileName: fileNameOf(document),
    version: document.version,
  };
  if (!isPromptFile(document)) return { ...NO_PROMPT_STATE, ...base };
  const render = await renderForKind(ctx, document, kind);
  const { settings } = render;
  const field = (key: string, value: unknown): FormField => ({
    key,
    value,
    display: displayValue(value),
    editable: isEditable(value),
  });
  // Variables: the defaults, then those the template uses without a default.
  const names = [...Object.keys(settings.vars)];
  for (const entry of render.map)
    if (entry.variable && !names.includes(entry.variable)) names.push(entry.variable);
  for (const diagnostic of render.diagnostics) {
    const undefinedName =
      diagnostic.code === 'undefined-variable' ? /`([^`]+)`/.exec(diagnostic.message)?.[1] : undefined;
    if (undefinedName && !names.includes(undefinedName)) names.push(undefinedName);
  }
  return {
    ...base,
    isPromptFile: true,
    ...(settings.model !== undefined && { model: settings.model }),
    ...(settings.backend !== undefined && { backend: settings.backend }),
    params: Object.entries(settings.params).map(([key, value]) => field(key, value)),
    knownParams: kind ? Object.keys(PARAMS_BY_KIND[kind]).filter((name) => !(name in settings.params)) : [],
    vars: names.map((name) => ({
      key: name,
      value: settings.vars[name] ?? '',
      ...varFieldView(settings.vars[name]),
    })),
    ...(settings.expected !== undefined && { expected: settings.expected }),
    ...(settings.target !== undefined && { target: settings.target }),
    problems: render.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => `line ${d.line + 1}: ${d.message}`),
  };
}
