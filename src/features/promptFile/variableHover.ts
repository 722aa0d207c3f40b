import * as vscode from 'vscode';
import type { Ctx } from '../../ctx';
import { PROMPT_LANGUAGE, renderTemplate } from '../common/promptSource';

const MAX_VALUES = 5;
const MAX_VALUE_LENGTH = 2000;

/** In `.prompt` files, hovering `{{ var }}` shows the value it rendered to (each value, in a loop). */
export function registerVariableHover(ctx: Ctx): void {
  ctx.own(
    vscode.languages.registerHoverProvider(
      { language: PROMPT_LANGUAGE },
      {
        async provideHover(document, position) {
          const offset = document.offsetAt(position);
          const render = await renderTemplate(ctx, document);
          if (document.isClosed) return undefined;
          const outputs = render.map.filter(
            (e) => e.kind === 'output' && e.sourceStart <= offset && offset < e.sourceStart + e.sourceLength,
          );
          const first = outputs[0];
          if (!first) return undefined;
          const values = outputs.map((e) =>
            render.text.slice(e.renderedStart, e.renderedStart + e.renderedLength),
          );
          const range = new vscode.Range(
            document.positionAt(first.sourceStart),
            document.positionAt(first.sourceStart + first.sourceLength),
          );
          return new vscode.Hover(variableMarkdown(document.getText(range), values), range);
        },
      },
    ),
  );
}

function variableMarkdown(expression: string, values: string[]): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  markdown.appendMarkdown(
    values.length === 1
      ? `\`${expression.replace(/`/g, "'")}\` renders to:\n\n`
      : `\`${expression.replace(/`/g, "'")}\` renders ${values.length} times:\n\n`,
  );
  for (const value of values.slice(0, MAX_VALUES)) {
    if (value === '') markdown.appendMarkdown('*(empty)*\n\n');
    else
      markdown.appendCodeblock(
        value.length > MAX_VALUE_LENGTH ? `${value.slice(0, MAX_VALUE_LENGTH)}…` : value,
        'text',
      );
  }
  if (values.length > MAX_VALUES) markdown.appendMarkdown(`\n…and ${values.length - MAX_VALUES} more`);
  return markdown;
}
