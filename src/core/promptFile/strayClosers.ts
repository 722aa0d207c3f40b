// A `}}` or `%}` in the body's plain text closes nothing: it is usually left over from an editor's
// auto-inserted closer, and Liquid passes it silently into the prompt. Warn where it is.
import { TagToken, TokenKind, Tokenizer, type Liquid } from 'liquidjs';
import { diagnostic, type LineIndex } from './positions';
import type { PromptDiagnostic } from './types';

const CLOSER = /\}\}|%\}/g;

export function strayClosers(
  liquid: Liquid,
  body: string,
  bodyStart: number,
  lines: LineIndex,
): PromptDiagnostic[] {
  let tokens: ReturnType<Tokenizer['readTopLevelTokens']>;
  try {
    tokens = new Tokenizer(body, liquid.options.operators).readTopLevelTokens(liquid.options);
  } catch {
    return []; // the parse error is reported already
  }
  const diagnostics: PromptDiagnostic[] = [];
  let literal: string | undefined; // inside {% raw %} or {% comment %}: text meant as it is, or not sent
  for (const token of tokens) {
    if (token instanceof TagToken) {
      if (literal === undefined && (token.name === 'raw' || token.name === 'comment')) literal = token.name;
      else if (literal !== undefined && token.name === `end${literal}`) literal = undefined;
      continue;
    }
    if (token.kind !== TokenKind.HTML || literal !== undefined) continue;
    const text = body.slice(token.begin, token.end);
    for (const match of text.matchAll(CLOSER)) {
      const start = bodyStart + token.begin + (match.index ?? 0);
      const closer = match[0];
      diagnostics.push(
        diagnostic(
          lines,
          start,
          start + 2,
          'warning',
          'stray-closer',
          `\`${closer}\` closes nothing here and goes into the prompt as text; delete it (or wrap it in {% raw %}...{% endraw %} if it is meant).`,
        ),
      );
    }
  }
  return diagnostics;
}
