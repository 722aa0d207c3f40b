// `promptlens render FILE [--var key=value ...] [--backend-kind KIND] [--json]`: renders a `.prompt`
// file and prints the prompt, its source map and diagnostics. Exit 0: no error diagnostic; 1: some;
// 2: usage error (bad flags, unreadable file), with `{"error": {"kind": "usage", ...}}` under --json.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { BackendKind } from '../../core/backend';
import { BACKEND_KINDS, isBackendKind } from '../../core/backends';
import { renderPromptFile, type PromptDiagnostic, type RenderResult } from '../../core/promptFile';
import { cliTemplateFiles, FILE_OPTIONS, FILE_USAGE, type FileFlags } from '../templateFiles';
import { failureJson } from '../failure';
import { EXIT_USAGE } from '../io';

export interface RenderIo {
  /** Writes one line. */
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile?: (path: string) => Promise<string>;
}

const USAGE = `usage: promptlens render FILE [--var key=value ...] [--var-json key=JSON ...] [--backend-kind aleph-alpha|llama-cpp|openai] [--json]\n  ${FILE_USAGE}\nexit codes: 0 rendered, 1 the template has errors (diagnostics of severity error), 2 usage error or unreadable FILE`;

class Usage extends Error {}

export async function renderCommand(argv: string[], io: RenderIo): Promise<number> {
  let args: RenderArgs;
  let files;
  try {
    args = parseRenderArgs(argv[0] === 'render' ? argv.slice(1) : argv);
    files = cliTemplateFiles(args.file, args.files);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (argv.includes('--json')) io.stdout(failureJson({ code: EXIT_USAGE, kind: 'usage', message }));
    io.stderr(`promptlens render: ${message}`);
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  if (args.file === '') {
    io.stdout(USAGE);
    return 0;
  }
  let source: string;
  try {
    source = await (io.readFile ?? ((path: string) => readFile(path, 'utf8')))(args.file);
  } catch (error) {
    const message = `cannot read ${args.file}: ${error instanceof Error ? error.message : String(error)}`;
    if (args.json) io.stdout(failureJson({ code: EXIT_USAGE, kind: 'usage', message }));
    io.stderr(`promptlens render: ${message}`);
    return EXIT_USAGE;
  }
  const result = await renderPromptFile(source, {
    path: args.file,
    files,
    vars: args.vars,
    ...(args.backendKind ? { backendKind: args.backendKind } : {}),
  });
  if (args.json) io.stdout(JSON.stringify(toJson(result)));
  else printReadable(result, args.file, io);
  return result.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

interface RenderArgs {
  file: string;
  vars: Record<string, unknown>;
  json: boolean;
  backendKind?: BackendKind;
  files: FileFlags;
}

function parseRenderArgs(argv: string[]): RenderArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        var: { type: 'string', multiple: true },
        'var-json': { type: 'string', multiple: true },
        json: { type: 'boolean' },
        'backend-kind': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...FILE_OPTIONS,
      },
    });
  } catch (error) {
    throw new Usage(
      error instanceof Error ? (error.message.split('\n')[0] ?? 'invalid options') : 'invalid options',
    );
  }
  const { values, positionals } = parsed;
  if (values.help) return { file: '', vars: {}, json: false, files: {} };
  if (positionals.length !== 1)
    throw new Usage(
      positionals.length === 0 ? 'missing FILE' : `expected one FILE, got ${positionals.length}`,
    );
  const vars: Record<string, unknown> = {};
  for (const pair of values.var ?? []) {
    const [key, value] = splitPair(pair, '--var');
    vars[key] = value;
  }
  for (const pair of values['var-json'] ?? []) {
    const [key, value] = splitPair(pair, '--var-json');
    try {
      vars[key] = JSON.parse(value) as unknown;
    } catch {
      throw new Usage(`--var-json ${key}=...: the value is not valid JSON`);
    }
  }
  const kind = values['backend-kind'];
  if (kind !== undefined && !isBackendKind(kind))
    throw new Usage(`--backend-kind must be one of ${BACKEND_KINDS.join(', ')}`);
  const result: RenderArgs = {
    file: positionals[0] ?? '',
    vars,
    json: values.json ?? false,
    files: {
      root: values.root,
      maxImageBytes: values['max-image-bytes'],
      maxIncludeBytes: values['max-include-bytes'],
    },
  };
  if (kind !== undefined) result.backendKind = kind;
  return result;
}

function splitPair(pair: string, flag: string): [string, string] {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new Usage(`${flag} expects key=value, got "${pair}"`);
  return [pair.slice(0, eq), pair.slice(eq + 1)];
}

/** The documented JSON shape: exactly these fields, whatever the core adds later. */
function toJson(result: RenderResult): unknown {
  return {
    text: result.text,
    items: result.items,
    map: result.map.map((e) => ({
      renderedStart: e.renderedStart,
      renderedLength: e.renderedLength,
      sourceStart: e.sourceStart,
      sourceLength: e.sourceLength,
      ...(e.variable !== undefined ? { variable: e.variable } : {}),
    })),
    diagnostics: result.diagnostics.map((d) => ({
      line: d.line,
      column: d.column,
      endLine: d.endLine,
      endColumn: d.endColumn,
      severity: d.severity,
      message: d.message,
    })),
  };
}

function printReadable(result: RenderResult, file: string, io: RenderIo): void {
  for (const item of result.items) {
    if (item.type === 'text') io.stdout(item.text.replace(/\n$/, ''));
    else if (item.type === 'image') io.stdout(`[image: ${Math.round((item.data.length * 3) / 4)} bytes]`);
    else io.stdout(`[token ids: ${item.ids.join(', ')}]`);
  }
  for (const d of result.diagnostics) io.stderr(formatDiagnostic(file, d));
}

/** `file:line:column: severity: message`, 1-based like compilers print. */
export function formatDiagnostic(file: string, d: PromptDiagnostic): string {
  return `${file}:${d.line + 1}:${d.column + 1}: ${d.severity}: ${d.message}`;
}
