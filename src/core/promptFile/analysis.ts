// Static check: variables the template reads that neither the front matter, the caller nor the
// template itself (assign, capture, for, ...) defines.
import { Token, type Liquid, type Template } from 'liquidjs';
import { diagnostic, LineIndex } from './positions';
import type { PromptDiagnostic } from './types';

type Globals = Record<string, { location: { row: number; col: number; file?: string } }[]>;

export function undefinedVariables(
  liquid: Liquid,
  templates: Template[],
  defined: Set<string>,
  body: LineIndex,
  bodyStart: number,
  lines: LineIndex,
): PromptDiagnostic[] {
  let globals: Globals;
  try {
    globals = withFastPositions(() => liquid.analyzeSync(templates, { partials: false }).globals);
  } catch {
    return [];
  }
  const diagnostics: PromptDiagnostic[] = [];
  for (const [name, uses] of Object.entries(globals)) {
    if (defined.has(name)) continue;
    for (const use of uses) {
      if (use.location.file !== undefined) continue;
      const start = bodyStart + body.offset(use.location.row - 1, use.location.col - 1);
      diagnostics.push(
        diagnostic(
          lines,
          start,
          start + name.length,
          'warning',
          'undefined-variable',
          `Undefined variable \`${name}\`: give it a default under \`vars:\` in the front matter or pass it when rendering.`,
        ),
      );
    }
  }
  return diagnostics;
}

/**
 * liquidjs's analysis asks each variable's token for its row and column, which it finds by
 * scanning the template from the start: quadratic on a large template. During the (synchronous)
 * analysis, answer from a line index instead, then put the original back.
 */
function withFastPositions<T>(run: () => T): T {
  const proto = Token.prototype as { getPosition: () => number[] };
  const original = proto.getPosition;
  const indexes = new Map<string, LineIndex>();
  proto.getPosition = function (this: Token): number[] {
    let index = indexes.get(this.input);
    if (!index) indexes.set(this.input, (index = new LineIndex(this.input)));
    const { line, column } = index.position(this.begin);
    return [line + 1, column + 1];
  };
  try {
    return run();
  } finally {
    proto.getPosition = original;
  }
}
