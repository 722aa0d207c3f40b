// Which prompt a request sends, decided once for every surface (editor, panel, CLI, prompt tests):
// a selection or a document as plain text, or a `.prompt` file rendered for the backend it goes to.
import type { BackendKind, Prompt } from '../backend';
import { PromptLensError } from '../errors';
import type { PromptFileSettings, RenderResult } from '../promptFile/index';

export type PromptKind = 'selection' | 'document' | 'template';

/** The prompt a request sends, and where its text came from. */
export interface ResolvedPrompt {
  kind: PromptKind;
  prompt: Prompt;
  /** The prompt's text (text items joined). */
  text: string;
  /** For `selection` and `document`: offset of `text`'s first character in the source. */
  offset: number;
  /** For `template`: the rendering with its source map. */
  render?: RenderResult;
  settings?: PromptFileSettings;
}

/** Renders a template for a backend kind (none: no kind's parameters are checked) with variable overrides. */
export type TemplateRenderer = (
  kind: BackendKind | undefined,
  vars?: Record<string, unknown>,
) => Promise<RenderResult>;

export type PromptInput =
  | { kind: 'selection' | 'document'; text: string; offset?: number }
  | { kind: 'template'; name: string; render: RenderResult };

/**
 * The prompt of plain text or of a rendered template. A template with errors is not sent: the first
 * error is named (a caller shows them all where it can, e.g. the Problems view).
 */
export function resolvePrompt(input: PromptInput): ResolvedPrompt {
  if (input.kind !== 'template')
    return { kind: input.kind, prompt: input.text, text: input.text, offset: input.offset ?? 0 };
  const { render } = input;
  throwOnTemplateErrors(input.name, render);
  return {
    kind: 'template',
    prompt: render.prompt,
    text: render.text,
    offset: 0,
    render,
    settings: render.settings,
  };
}

/** A `template` error naming the first of a rendering's errors, if it has any. */
export function throwOnTemplateErrors(name: string, render: RenderResult): void {
  const errors = render.diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  if (first) {
    throw new PromptLensError(
      'template',
      `${name} has ${errors.length} error${errors.length > 1 ? 's' : ''}; the first, at line ${first.line + 1}: ${first.message}`,
    );
  }
}

/** What the renderer needs to pick the kind a template is rendered for. */
export interface KindChoice {
  /** The kind of the profile the request goes to when the file names none (the active profile's). */
  defaultKind: BackendKind | undefined;
  /** The kind of the profile a file's `backend:` names, when the caller allows it to pick one. */
  kindOf(backend: string): BackendKind | undefined;
}

/**
 * Renders a template for the kind of the backend it will be sent to: the default kind, or, when the
 * front matter names a profile of another kind, again for that kind. `vars` (as typed in a form)
 * override the front matter's; see `typedVars`.
 */
export async function renderForBackend(
  render: TemplateRenderer,
  choice: KindChoice,
  vars?: Record<string, string>,
): Promise<RenderResult> {
  const first = await render(choice.defaultKind);
  const named = first.settings.backend === undefined ? undefined : choice.kindOf(first.settings.backend);
  const kind = named ?? choice.defaultKind;
  const hasVars = vars !== undefined && Object.keys(vars).length > 0;
  if (kind === choice.defaultKind && !hasVars) return first;
  return render(kind, hasVars ? typedVars(vars, first.settings.vars) : undefined);
}

/**
 * A form edits variables as text. A value typed over a default that is not a string (a number, a
 * list) is read as JSON when it parses, so `{% for %}` over a list still works.
 */
export function typedVars(
  vars: Record<string, string>,
  defaults: Record<string, unknown>,
): Record<string, unknown> {
  const typed: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(vars)) {
    const fallback = defaults[name];
    if (fallback !== undefined && typeof fallback !== 'string') {
      try {
        typed[name] = JSON.parse(text);
        continue;
      } catch {
        // Not JSON: keep the text.
      }
    }
    typed[name] = text;
  }
  return typed;
}
