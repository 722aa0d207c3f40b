// Placeholder API of the prompt-files module; the prompt-files work replaces the implementation.
import type { BackendKind, Prompt, PromptItem } from '../backend';

export interface PromptFileSettings {
  backend?: string;
  model?: string;
  params: Record<string, unknown>;
  vars: Record<string, unknown>;
  expected?: string;
  target?: string;
}

export interface SourceMapEntry {
  renderedStart: number;
  renderedLength: number;
  sourceStart: number;
  sourceLength: number;
  variable?: string;
}

export interface PromptDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface RenderResult {
  text: string;
  items: PromptItem[];
  prompt: Prompt;
  map: SourceMapEntry[];
  diagnostics: PromptDiagnostic[];
  settings: PromptFileSettings;
}

export interface RenderOptions {
  /** File path, to resolve `{% image %}` paths and includes. */
  path?: string;
  vars?: Record<string, unknown>;
  backendKind?: BackendKind;
}

export async function renderPromptFile(_source: string, _options: RenderOptions = {}): Promise<RenderResult> {
  throw new Error('prompt files are not implemented yet');
}
