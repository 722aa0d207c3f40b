// The editor's adapter to the use-case layer: which prompt a command sends (core/useCases/prompt.ts),
// read from the active editor, with `.prompt` files rendered through the shared cache.
import * as vscode from 'vscode';
import type { BackendKind } from '../../core/backend';
import type { RenderResult } from '../../core/promptFile/index';
import { RenderCancelledError } from '../../core/render/workerRenderer';
import { renderForBackend, resolvePrompt, type ResolvedPrompt } from '../../core/useCases/index';
import { config } from '../../config';
import type { Ctx } from '../../ctx';
import { PROMPT_LANGUAGE } from '../../ids';
import { readProfiles } from './profiles';
import { renderCache } from './renderCache';

export { PROMPT_LANGUAGE } from '../../ids';

/** What a command sends, and where it came from in the editor. */
export interface PromptSource extends ResolvedPrompt {
  document: vscode.TextDocument;
  /** Document version the prompt was read at: edits after it mean offsets must be re-checked. */
  version: number;
  /** Where a completion is inserted: after the selection, or at the end of the document. */
  insertAt: vscode.Position;
}

export function isPromptFile(document: vscode.TextDocument): boolean {
  return document.languageId === PROMPT_LANGUAGE;
}

/** The selection if there is one, else the rendered `.prompt` file, else the whole document. */
export async function readPromptSource(ctx: Ctx, editor: vscode.TextEditor): Promise<PromptSource> {
  const { document, selection } = editor;
  const version = document.version;
  if (!selection.isEmpty) {
    const text = document.getText(selection);
    const resolved = resolvePrompt({ kind: 'selection', text, offset: document.offsetAt(selection.start) });
    return { ...resolved, document, version, insertAt: selection.end };
  }
  const end = document.lineAt(document.lineCount - 1).range.end;
  if (isPromptFile(document)) {
    // The run's error report offers "Go to line" in this file when its `backend:` chose the profile.
    const run = ctx.runs.current;
    if (run) run.promptDocument = document.uri.toString();
    const render = await renderTemplate(ctx, document);
    return {
      ...resolvePrompt({ kind: 'template', name: fileNameOf(document), render }),
      document,
      version,
      insertAt: end,
    };
  }
  return {
    ...resolvePrompt({ kind: 'document', text: document.getText() }),
    document,
    version,
    insertAt: end,
  };
}

/**
 * Renders a `.prompt` document for the backend it goes to: the kind of `profileName` (a form's pick),
 * else of the profile the file's `backend:` names (trusted workspaces only), else of the active
 * profile. `vars` are a form's text values over the front matter's.
 */
export function renderTemplate(
  ctx: Ctx,
  document: vscode.TextDocument,
  vars?: Record<string, string>,
  profileName?: string,
): Promise<RenderResult> {
  const cache = ctx.service(renderCache);
  const version = document.version;
  const kindOf = (name: string) => readProfiles(ctx).find((p) => p.name === name)?.kind;
  return renderForBackend(
    (kind, typed) => {
      // A second rendering (another kind, typed variables) must be of the first one's version.
      if (document.version !== version) return Promise.reject(new RenderCancelledError());
      return cache.render(document, kind, typed);
    },
    {
      defaultKind: (profileName && kindOf(profileName)) || activeKind(ctx),
      kindOf: (name) => (!profileName && fileMayPickProfile(ctx) ? kindOf(name) : undefined),
    },
    vars,
  );
}

/** A `.prompt` document rendered for exactly `kind` (none: no kind's parameters are checked). */
export function renderForKind(
  ctx: Ctx,
  document: vscode.TextDocument,
  kind: BackendKind | undefined,
): Promise<RenderResult> {
  return ctx.service(renderCache).render(document, kind);
}

/** A file's `backend:` is followed in a trusted workspace, except in a "Run with the active profile". */
function fileMayPickProfile(ctx: Ctx): boolean {
  return vscode.workspace.isTrusted && !ctx.runs.current?.ignoreFileBackend;
}

/** The kind of the active profile, if there is one. */
export function activeKind(ctx: Ctx): BackendKind | undefined {
  const name = config.activeProfile();
  return readProfiles(ctx).find((p) => p.name === name)?.kind;
}

export function fileNameOf(document: vscode.TextDocument): string {
  return document.uri.path.split('/').pop() ?? document.uri.toString();
}
