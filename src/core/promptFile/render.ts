// renderPromptFile: front matter -> settings, body -> Liquid parse, static check, instrumented
// render, split at placeholders. Bad input only ever produces diagnostics.
import { messageOf } from '../errors';
import type { Liquid, Template } from 'liquidjs';
import type { BackendKind } from '../backend';
import { undefinedVariables } from './analysis';
import { DEFAULT_FILE_LIMITS, FilePolicy, type TemplateFiles } from '../files/policy';
import { nodeFileReader } from '../files/nodeReader';
import { baseDirOf, createEngine } from './engine';
import { parseSettings, splitFrontMatter } from './frontMatter';
import { liquidErrorDiagnostics } from './liquidErrors';
import { strayClosers } from './strayClosers';
import { newlineBeforeSpace } from './promptEnd';
import { Placeholders } from './placeholders';
import { diagnostic, LineIndex } from './positions';
import { Recorder } from './recorder';
import { splitOutput } from './split';
import type { TagEnv } from './tagEnv';
import type { PromptDiagnostic, PromptFileSettings, RenderOptions, RenderResult } from './types';

const KINDS_WITH_IMAGES: ReadonlySet<BackendKind> = new Set(['aleph-alpha']);

export async function renderPromptFile(source: string, options: RenderOptions = {}): Promise<RenderResult> {
  try {
    return await renderUnguarded(typeof source === 'string' ? source : String(source), options);
  } catch (error) {
    // A bug of ours, not of the input; still a diagnostic rather than an exception.
    const text = typeof source === 'string' ? source : '';
    const lines = new LineIndex(text);
    const message = `Internal error while rendering: ${messageOf(error)}`;
    return emptyResult(
      { params: {}, vars: {}, tests: [] },
      [diagnostic(lines, 0, 0, 'error', 'liquid-render', message)],
      0,
    );
  }
}

async function renderUnguarded(source: string, options: RenderOptions): Promise<RenderResult> {
  const lines = new LineIndex(source);
  const diagnostics: PromptDiagnostic[] = [];
  const split = splitFrontMatter(source);
  const settings: PromptFileSettings = split.yaml
    ? parseSettings(split.yaml, lines, options.backendKind, diagnostics)
    : { params: {}, vars: {}, tests: [] };
  if (split.unclosed) {
    diagnostics.push(
      diagnostic(
        lines,
        split.unclosed.start,
        split.unclosed.end,
        'error',
        'front-matter',
        'The front matter is not closed: end it with a line `---`.',
      ),
    );
    return emptyResult(settings, diagnostics, split.bodyStart);
  }

  const body = source.slice(split.bodyStart);
  const recorder = new Recorder(split.bodyStart, body);
  const placeholders = new Placeholders();
  if (options.placeholders) placeholders.addAll(options.placeholders);
  const env: TagEnv = {
    recorder,
    placeholders,
    files: options.files ?? defaultTemplateFiles(options.path),
    baseDir: baseDirOf(options.path, options.posixPaths ?? false),
    posixPaths: options.posixPaths ?? false,
    report: (start, end, severity, code, message) =>
      diagnostics.push(diagnostic(lines, start, end, severity, code, message)),
  };
  const liquid = createEngine(env);

  let templates: Template[];
  try {
    templates = liquid.parse(body);
  } catch (error) {
    diagnostics.push(...liquidErrorDiagnostics(error, 'parse', lines, recorder));
    return emptyResult(settings, diagnostics, split.bodyStart);
  }

  const vars = { ...settings.vars, ...(options.vars ?? {}) };
  const staticWarnings = undefinedVariables(
    liquid,
    templates,
    new Set(Object.keys(vars)),
    new LineIndex(body),
    split.bodyStart,
    lines,
  );
  diagnostics.push(...strayClosers(liquid, body, split.bodyStart, lines));
  const renderErrors = await renderBody(liquid, templates, vars, lines, recorder);
  // A runtime error at the same place as a static warning replaces it.
  const errorStarts = new Set(renderErrors.map((d) => d.start));
  diagnostics.push(...staticWarnings.filter((d) => !errorStarts.has(d.start)), ...renderErrors);

  const out = splitOutput(recorder.tracked?.buffer ?? '', recorder.entries, recorder.ranges, placeholders);
  if (options.backendKind && !KINDS_WITH_IMAGES.has(options.backendKind)) {
    for (const marker of out.markers) {
      if (marker.item.type !== 'image') continue;
      const entry = recorder.entries.find(
        (e) => e.renderedStart <= marker.rawStart && marker.rawStart < e.renderedStart + e.renderedLength,
      );
      const start = entry?.sourceStart ?? split.bodyStart;
      diagnostics.push(
        diagnostic(
          lines,
          start,
          start + (entry?.sourceLength ?? 0),
          'error',
          'image-unsupported',
          `The ${options.backendKind} backend takes no images; use an Aleph Alpha backend or remove the image.`,
        ),
      );
    }
  }
  diagnostics.push(...newlineBeforeSpace(out.text, settings, source, split.bodyStart, lines));
  diagnostics.sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  const onlyText = out.items.every((item) => item.type === 'text');
  return {
    text: out.text,
    items: out.items,
    prompt: onlyText ? out.text : out.items,
    map: out.map,
    diagnostics,
    settings,
    ranges: out.ranges,
    itemStarts: out.itemStarts,
    bodyStart: split.bodyStart,
  };
}

/** Renders; on an error the output so far stays in the recorder and the error becomes diagnostics. */
async function renderBody(
  liquid: Liquid,
  templates: Template[],
  vars: Record<string, unknown>,
  lines: LineIndex,
  recorder: Recorder,
): Promise<PromptDiagnostic[]> {
  try {
    await liquid.render(templates, vars);
    return [];
  } catch (error) {
    return liquidErrorDiagnostics(error, 'render', lines, recorder);
  }
}

function emptyResult(
  settings: PromptFileSettings,
  diagnostics: PromptDiagnostic[],
  bodyStart: number,
): RenderResult {
  return {
    text: '',
    items: [],
    prompt: '',
    map: [],
    diagnostics,
    settings,
    ranges: [],
    itemStarts: [],
    bodyStart,
  };
}

/** node:fs confined to the prompt file's folder with the default caps; nothing without a path. */
export function defaultTemplateFiles(path: string | undefined): TemplateFiles {
  return new FilePolicy({
    root: path === undefined ? undefined : baseDirOf(path, false),
    trusted: true,
    limits: DEFAULT_FILE_LIMITS,
    reader: nodeFileReader,
    rootName: "the prompt file's folder",
  });
}
