// What the custom tags need from the render in progress.
import type { DiagnosticCode, PromptDiagnostic, ReadFile } from './types';
import type { Placeholders } from './placeholders';
import type { Recorder } from './recorder';
import type { Liquid, Parser, Tag, TagToken, TopLevelToken } from 'liquidjs';

/** liquidjs's TagClass, which its index does not export. */
export type TagClass = new (
  token: TagToken,
  remainTokens: TopLevelToken[],
  liquid: Liquid,
  parser: Parser,
) => Tag;

export interface TagEnv {
  recorder: Recorder;
  placeholders: Placeholders;
  readFile: ReadFile;
  /** Directory `{% image %}` paths are relative to. */
  baseDir: string;
  /** Reports a problem at whole-file offsets. */
  report(
    start: number,
    end: number,
    severity: PromptDiagnostic['severity'],
    code: DiagnosticCode,
    message: string,
  ): void;
}
