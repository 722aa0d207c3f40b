// What the custom tags need from the render in progress.
import type { TemplateFiles } from '../files/policy';
import type { DiagnosticCode, PromptDiagnostic } from './types';
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
  /** Every file the template reads goes through here. */
  files: TemplateFiles;
  /** Directory `{% image %}` and `{% include %}` paths are relative to. */
  baseDir: string;
  /** Paths are URI paths (the editor) rather than the platform's file names (the CLI). */
  posixPaths: boolean;
  /** Reports a problem at whole-file offsets. */
  report(
    start: number,
    end: number,
    severity: PromptDiagnostic['severity'],
    code: DiagnosticCode,
    message: string,
  ): void;
}
