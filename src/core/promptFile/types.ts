// Public types of the prompt-files module (re-exported by index.ts).
import type { BackendKind, Prompt, PromptItem } from '../backend';
import type { TemplateFiles } from '../files/policy';
import type { Placeholders } from './placeholders';

/** One test case of a `.prompt` file's `tests:` list. */
export interface PromptTestCase {
  name?: string;
  vars: Record<string, unknown>;
  expected?: string;
  target?: string;
  /** Strings the completion must contain (a single string in YAML becomes a one-element list). */
  contains?: string[];
  /** A dataset (.jsonl or .csv) whose rows are cases; see core/promptTests. */
  file?: string;
}

export interface PromptFileSettings {
  backend?: string;
  model?: string;
  params: Record<string, unknown>;
  vars: Record<string, unknown>;
  expected?: string;
  target?: string;
  tests: PromptTestCase[];
}

/** How a rendered span relates to its source: `text` maps character by character, the others as a whole. */
export type SourceMapKind = 'text' | 'output' | 'tag';

export interface SourceMapEntry {
  /** UTF-16 offsets into `RenderResult.text`. */
  renderedStart: number;
  renderedLength: number;
  /** UTF-16 offsets into the whole `.prompt` file, front matter included. */
  sourceStart: number;
  sourceLength: number;
  /** Root variable of a `{{ expr }}` (e.g. `user` for `{{ user.name | upcase }}`). */
  variable?: string;
  /** Always set by `renderPromptFile`. */
  kind?: SourceMapKind;
  /** Text from an included file: the entry maps to the `{% include %}` tag, this is the exact origin. */
  included?: { file: string; start: number; length: number };
}

export type DiagnosticCode =
  | 'yaml'
  | 'front-matter'
  | 'unknown-key'
  | 'invalid-value'
  | 'unknown-param'
  | 'invalid-param'
  | 'liquid-syntax'
  | 'liquid-render'
  | 'undefined-variable'
  | 'image-missing'
  | 'image-unsupported'
  | 'image-format'
  | 'stray-closer'
  | 'newline-before-space'
  /** A file the template reads was refused or could not be read (outside the root, too large...). */
  | 'file-refused'
  /** A file the template reads was not read because the workspace is not trusted. */
  | 'file-untrusted';

export interface PromptDiagnostic {
  /** 0-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** UTF-16 offsets into the whole file; always set by `renderPromptFile`. */
  start?: number;
  end?: number;
  code?: DiagnosticCode;
}

/** A `{% promptrange name %}` region, once per rendering (a range inside a loop appears once per iteration). */
export interface PromptRange {
  name: string;
  /** UTF-16 offsets into `RenderResult.text`. */
  start: number;
  length: number;
  /** The range's body in the source (between the two tags), whole-file offsets. */
  sourceStart: number;
  sourceLength: number;
}

export interface RenderResult {
  /** The text items joined (placeholders and images removed): what the map and ranges index. */
  text: string;
  items: PromptItem[];
  /** `text` when there is only text, otherwise `items`. */
  prompt: Prompt;
  map: SourceMapEntry[];
  diagnostics: PromptDiagnostic[];
  settings: PromptFileSettings;
  ranges: PromptRange[];
  /** For each item, the offset in `text` where it starts (non-text items take no room in `text`). */
  itemStarts: number[];
  /** Offset of the template body in the file (0 without front matter). */
  bodyStart: number;
}

export interface RenderOptions {
  /** File path, to resolve `{% image %}` paths and includes. */
  path?: string;
  /** Override the front matter's `vars` defaults. */
  vars?: Record<string, unknown>;
  backendKind?: BackendKind;
  /** Items registered with `placeholder()` that the variables may reference. */
  placeholders?: Placeholders;
  /**
   * The gate of every file the template reads (images, includes). Default: node:fs confined to
   * the prompt file's folder, default size caps; nothing is read without `path`.
   */
  files?: TemplateFiles;
  /** `path` is a URI path (posix separators) rather than a file name of this platform. */
  posixPaths?: boolean;
}
