// Prompt files (`.prompt`): YAML front matter + a Liquid body, rendered to a prompt with a source
// map, named ranges and diagnostics. No `vscode` here: the CLI uses it too.
export { renderPromptFile } from './render';
export { renderedToSource, sourceToRendered, type MappedSpan } from './sourceMap';
export { Placeholders, type PlaceholderItem } from './placeholders';
export { splitFrontMatter } from './frontMatter';
export { LineIndex } from './positions';
export { PARAMS_BY_KIND } from './params';
export { defaultTemplateFiles } from './render';
export type {
  DiagnosticCode,
  PromptDiagnostic,
  PromptFileSettings,
  PromptRange,
  PromptTestCase,
  RenderOptions,
  RenderResult,
  SourceMapEntry,
  SourceMapKind,
} from './types';
