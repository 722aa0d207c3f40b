import * as vscode from 'vscode';
import type { BackendKind, Prompt } from '../core/backend';
import type { PromptFileSettings, RenderResult } from '../core/promptFile/index';
import type { Ctx } from '../ctx';
import { readProfiles } from './profiles';
import { config } from '../config';
import { renderService } from './render/renderService';
import { RenderCancelledError } from '../core/render/workerRenderer';

export const PROMPT_LANGUAGE = 'liquid-prompt';

/** What a command sends, and where it came from in the editor. */
export interface PromptSource {
  kind: 'selection' | 'template' | 'document';
  document: vscode.TextDocument;
  /** Document version the prompt was read at: edits after it mean offsets must be re-checked. */
  version: number;
  prompt: Prompt;
  /** The prompt's text (text items joined). */
  text: string;
  /** For `selection` and `document`: document offset of `text`'s first character. */
  offset: number;
  /** For `template`: the rendering with its source map. */
  render?: RenderResult;
  settings?: PromptFileSettings;
  /** Where a completion is inserted: after the selection, or at the end of the document. */
  insertAt: vscode.Position;
}

export class PromptFileError extends Error {
  readonly kind = 'bad-request';
}

export function isPromptFile(document: vscode.TextDocument): boolean {
  return document.languageId === PROMPT_LANGUAGE;
}

/** The selection if there is one, else the rendered `.prompt` file, else the whole document. */
export async function readPromptSource(ctx: Ctx, editor: vscode.TextEditor, backendKind?: BackendKind): Promise<PromptSource> {
  const { document, selection } = editor;
  const version = document.version;
  if (!selection.isEmpty) {
    const text = document.getText(selection);
    return { kind: 'selection', document, version, prompt: text, text, offset: document.offsetAt(selection.start), insertAt: selection.end };
  }
  const end = document.lineAt(document.lineCount - 1).range.end;
  if (isPromptFile(document)) {
    const render = await renderTemplate(ctx, document, backendKind);
    throwOnTemplateErrors(document, render);
    return { kind: 'template', document, version, prompt: render.prompt, text: render.text, offset: 0, render, settings: render.settings, insertAt: end };
  }
  const text = document.getText();
  return { kind: 'document', document, version, prompt: text, text, offset: 0, insertAt: end };
}

/** Renders a `.prompt` document for the backend kind of the profile it will be sent to. */
export async function renderTemplate(ctx: Ctx, document: vscode.TextDocument, backendKind?: BackendKind): Promise<RenderResult> {
  const kind = backendKind ?? activeKind(ctx);
  const version = document.version;
  // The render service reads the text only when this version was not rendered yet.
  const first = await renderDocument(ctx, document, kind);
  // A file may name another profile (`backend:`), possibly of another kind: render again for that kind.
  const named = first.settings.backend && readProfiles(ctx).find((p) => p.name === first.settings.backend);
  if (!backendKind && named && vscode.workspace.isTrusted && named.kind !== kind) {
    // Both renderings must be of one version.
    if (document.version !== version) throw new RenderCancelledError();
    return renderDocument(ctx, document, named.kind);
  }
  return first;
}

/**
 * Renders a `.prompt` document for exactly `kind` (none: no kind's parameters are checked); `vars`
 * override the front matter's. A second rendering passes the `text` of the first, so both are of one version.
 * Runs in the render worker, reading files through the document's file policy (see RenderService).
 */
export function renderDocument(
  ctx: Ctx,
  document: vscode.TextDocument,
  kind: BackendKind | undefined,
  vars?: Record<string, unknown>,
  text?: string,
): Promise<RenderResult> {
  return ctx.service(renderService).render(document, kind, vars, text);
}

/** The kind of the active profile, if there is one. */
export function activeKind(ctx: Ctx): BackendKind | undefined {
  const name = config.activeProfile();
  return readProfiles(ctx).find((p) => p.name === name)?.kind;
}

export function fileNameOf(document: vscode.TextDocument): string {
  return document.uri.path.split('/').pop() ?? document.uri.toString();
}

/** A template with errors is not sent: the first error is named (all are in the Problems view). */
export function throwOnTemplateErrors(document: vscode.TextDocument, render: RenderResult): void {
  const errors = render.diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  if (first) {
    throw new PromptFileError(`${fileNameOf(document)} has ${errors.length} error${errors.length > 1 ? 's' : ''}; the first, at line ${first.line + 1}: ${first.message}`);
  }
}
