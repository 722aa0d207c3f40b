// The prompt's invisible end: a body ending in a newline followed by a `target:` / `expected:` that
// starts with a space sends "...:\n Paris", not "...: Paris" as the author meant.
import { diagnostic, type LineIndex } from './positions';
import type { PromptDiagnostic, PromptFileSettings } from './types';

export function newlineBeforeSpace(
  rendered: string,
  settings: PromptFileSettings,
  source: string,
  bodyStart: number,
  lines: LineIndex,
): PromptDiagnostic[] {
  if (!/\r?\n$/.test(rendered)) return [];
  const diagnostics: PromptDiagnostic[] = [];
  for (const key of ['target', 'expected'] as const) {
    const value = settings[key];
    if (value === undefined || !value.startsWith(' ')) continue;
    const at = new RegExp(`^${key}\\s*:`, 'm').exec(source.slice(0, bodyStart));
    const start = at?.index ?? 0;
    diagnostics.push(
      diagnostic(
        lines,
        start,
        start + key.length,
        'warning',
        'newline-before-space',
        `The prompt ends with a newline and \`${key}\` starts with a space, so the model sees ${JSON.stringify(`\n${value}`)} after it. ` +
          'End the body without a final newline (or close it with a `-%}` tag), or drop the space.',
      ),
    );
  }
  return diagnostics;
}
