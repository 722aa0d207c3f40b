import * as vscode from 'vscode';
import { PromptLensError } from '../../core/errors';
import { CONTEXT_KEY } from '../../ids';
import type { Ctx, ServiceKey } from '../../ctx';
import { backendRegistry } from '../common/backends';
import { withCancellableProgress } from '../common/progress';
import { readPromptSource } from '../common/promptSource';
import { noteCommandUsed, tokenCounter } from './tokenCount';
import { spanAt, tokenSpansInTemplate, tokenSpansInText, type TokenSpan } from '../../core/tokens/tokenSpans';

/** What is shown: the document, its token spans, and the decorations, hover and listener that go with them. */
interface Shown {
  document: vscode.TextDocument;
  spans: TokenSpan[];
  ranges: [vscode.Range[], vscode.Range[]];
  disposables: vscode.Disposable[];
}

/** "Show Tokens": token boundaries as alternating backgrounds, ids on hover, until an edit or "Hide Tokens". */
export class TokenView implements vscode.Disposable {
  private shown: Shown | undefined;

  /** The shown document and its spans (for tests and the benchmark). */
  get current():
    { document: vscode.TextDocument; spans: readonly TokenSpan[]; decorationCount: number } | undefined {
    if (!this.shown) return undefined;
    return {
      document: this.shown.document,
      spans: this.shown.spans,
      decorationCount: this.shown.ranges[0].length + this.shown.ranges[1].length,
    };
  }

  show(document: vscode.TextDocument, spans: TokenSpan[]): void {
    this.hide();
    const types = [
      vscode.window.createTextEditorDecorationType({
        backgroundColor: new vscode.ThemeColor('promptLens.token.background1'),
      }),
      vscode.window.createTextEditorDecorationType({
        backgroundColor: new vscode.ThemeColor('promptLens.token.background2'),
      }),
    ] as const;
    const ranges: [vscode.Range[], vscode.Range[]] = [[], []];
    spans.forEach((span, index) => ranges[index % 2]?.push(spanRange(document, span)));
    const shown: Shown = { document, spans, ranges, disposables: [...types] };
    this.shown = shown;
    const paint = (): void => {
      for (const editor of vscode.window.visibleTextEditors) {
        if (editor.document !== document) continue;
        editor.setDecorations(types[0], ranges[0]);
        editor.setDecorations(types[1], ranges[1]);
      }
    };
    paint();
    shown.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors(paint),
      vscode.languages.registerHoverProvider(
        { scheme: document.uri.scheme },
        {
          provideHover: (hovered, position) =>
            hovered === document ? tokenHover(document, spans, position) : undefined,
        },
      ),
      // Token boundaries are stale after any edit: hide them rather than show wrong ones.
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document !== document || event.contentChanges.length === 0) return;
        this.hide();
        vscode.window.setStatusBarMessage(
          'Prompt Lens: tokens hidden because the text changed. Run "Show Tokens" again to see them.',
          5000,
        );
      }),
      vscode.workspace.onDidCloseTextDocument((closed) => {
        if (closed === document) this.hide();
      }),
    );
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY.tokensShown, true);
  }

  hide(): void {
    const shown = this.shown;
    if (!shown) return;
    this.shown = undefined;
    for (const disposable of shown.disposables) disposable.dispose();
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY.tokensShown, false);
  }

  dispose(): void {
    this.hide();
  }
}

export const tokenView: ServiceKey<TokenView> = { name: 'tokenView', create: () => new TokenView() };

function spanRange(document: vscode.TextDocument, span: TokenSpan): vscode.Range {
  return new vscode.Range(document.positionAt(span.start), document.positionAt(span.start + span.length));
}

/** The hover of a token: its text and id; for a `{{ }}` tag, every token of its output. */
function tokenHover(
  document: vscode.TextDocument,
  spans: readonly TokenSpan[],
  position: vscode.Position,
): vscode.Hover | undefined {
  const span = spans[spanAt(spans, document.offsetAt(position))];
  if (!span) return undefined;
  const markdown = new vscode.MarkdownString();
  const count = `**${span.tokens.length} token${span.tokens.length === 1 ? '' : 's'}**`;
  markdown.appendMarkdown(
    span.whole
      ? `${count} of this tag's output\n\n`
      : span.tokens.length > 1
        ? `${count} (this text is repeated by the template)\n\n`
        : '**Token**\n\n',
  );
  for (const token of span.tokens.slice(0, 50))
    markdown.appendMarkdown(`- \`${visible(token.text)}\` id ${token.id}\n`);
  if (span.tokens.length > 50) markdown.appendMarkdown(`- … and ${span.tokens.length - 50} more\n`);
  return new vscode.Hover(markdown, spanRange(document, span));
}

/** Whitespace made visible, and backticks that would end the code span replaced. */
function visible(text: string): string {
  return text.replace(/ /g, '·').replace(/\n/g, '↵').replace(/\t/g, '→').replace(/`/g, 'ˋ');
}

/** "Prompt Lens: Show Tokens": the selection's tokens, else the document's (a `.prompt` file's on its template). */
export async function showTokens(ctx: Ctx): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor)
    throw new PromptLensError(
      'bad-request',
      'Open the document whose tokens to show, then run "Show Tokens" again.',
    );
  noteCommandUsed(ctx);
  const source = await readPromptSource(ctx, editor);
  const connection = await ctx
    .service(backendRegistry)
    .connect(source.settings?.backend, source.settings?.model);
  const tokens = await withCancellableProgress(
    `Prompt Lens: tokenizing with ${connection.profile.name}`,
    (signal) => ctx.service(tokenCounter).tokenize(connection, source.text, signal),
  );
  if (source.document.version !== source.version) {
    vscode.window.setStatusBarMessage(
      'Prompt Lens: the text changed while it was tokenized. Run "Show Tokens" again.',
      5000,
    );
    return;
  }
  const spans = source.render
    ? tokenSpansInTemplate(source.text, tokens, source.render.map)
    : tokenSpansInText(source.text, tokens, source.offset);
  ctx.service(tokenView).show(source.document, spans);
  ctx.log.info(
    `showing ${tokens.length} tokens of ${source.document.uri.toString(true)} (profile "${connection.profile.name}")`,
  );
}

/** "Prompt Lens: Hide Tokens". */
export async function hideTokens(ctx: Ctx): Promise<void> {
  ctx.service(tokenView).hide();
}
