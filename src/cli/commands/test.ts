// `promptlens test [files or globs]`: runs the `tests:` of prompt files (and their datasets) and
// reports as text, JSON or JUnit XML. Exit codes: 0 all passed, 1 a case failed, 2 usage, 3 backend.
import { messageOf } from '../../core/errors';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import type { BackendKind } from '../../core/backend';
import { createBackend, isBackendKind } from '../../core/backends';
import { splitFrontMatter } from '../../core/promptFile';
import {
  compareWithBaseline,
  coreTestBackend,
  dryRunText,
  jsonReport,
  junitReport,
  loadSuite,
  planRun,
  readBaseline,
  runPromptTests,
  textReport,
  type LoadedSuite,
  type TestReport,
} from '../../core/promptTests';
import { optional } from '../../core/optionalFields';
import { backendOptions } from '../invocation';
import { parseCliOptions } from '../options';
import { EXIT_BACKEND, EXIT_OK, UsageError, type CliIo } from '../io';
import { promptFilesOf } from './testFiles';

export const EXIT_FAILED = 1;

const OPTIONS = {
  reporter: { type: 'string' },
  out: { type: 'string' },
  concurrency: { type: 'string' },
  'dry-run': { type: 'boolean' },
  backend: { type: 'string' },
  url: { type: 'string' },
  model: { type: 'string' },
  baseline: { type: 'string' },
  'explain-failures': { type: 'boolean' },
  'token-env': { type: 'string' },
  json: { type: 'boolean' },
  'max-reply-mb': { type: 'string' },
  'max-event-mb': { type: 'string' },
  deadline: { type: 'string' },
  timeout: { type: 'string' },
} as const;

/** Flags shared with the other commands, checked by their parser. */
const SHARED = ['url', 'token-env', 'max-reply-mb', 'max-event-mb', 'deadline', 'timeout'] as const;

const MAX_BASELINE_BYTES = 20 * 1024 * 1024;

export async function testCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv);
  const reporter = values.reporter ?? (values.json ? 'json' : 'text');
  if (!['text', 'json', 'junit'].includes(reporter))
    throw new UsageError('--reporter takes text, json or junit');
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64))
    throw new UsageError('--concurrency takes a whole number from 1 to 64');
  const network = parseCliOptions(
    SHARED.flatMap((name) => (values[name] === undefined ? [] : [`--${name}`, String(values[name])])),
  );
  if (values.backend !== undefined && !isBackendKind(values.backend))
    throw new UsageError('--backend must be aleph-alpha, llama-cpp or openai');
  const baseline = values.baseline === undefined ? undefined : await readBaselineFile(values.baseline);
  const cwd = process.cwd();
  const files = await promptFilesOf(positionals, cwd);
  const suites: LoadedSuite[] = [];
  for (const file of files) {
    let source: string;
    try {
      source = await io.readFile(file);
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${messageOf(error)}`);
    }
    const suite = await loadSuite(path.relative(cwd, file) || file, source, { roots: [cwd] });
    if (suite.cases.length > 0 || suite.error) suites.push(suite);
  }
  if (suites.length === 0)
    throw new UsageError('no test cases: add `tests:` to the front matter of a .prompt file');

  const groups = new Map<BackendKind, LoadedSuite[]>();
  for (const suite of suites) {
    const kind = (values.backend as BackendKind | undefined) ?? kindOf(suite);
    groups.set(kind, [...(groups.get(kind) ?? []), suite]);
  }
  const reports: TestReport[] = [];
  const lines: string[] = [];
  for (const [kind, group] of groups) {
    const backend = await createBackend(
      kind,
      backendOptions({ kind, prompt: '', params: {}, ...optional('model', values.model) }, network, io.env),
    );
    try {
      const tests = coreTestBackend(backend, values.model === undefined ? {} : { model: values.model });
      if (values['dry-run']) {
        const plan = await planRun(tests, group);
        lines.push(
          reporter === 'json' ? JSON.stringify({ backend: kind, ...plan }) : `${kind}:\n${dryRunText(plan)}`,
        );
        continue;
      }
      const total = group.reduce((n, s) => n + s.cases.length, 0);
      io.stderr(`promptlens test: ${total} cases in ${group.length} files on ${kind}`);
      reports.push(
        await runPromptTests(tests, group, {
          ...(concurrency === undefined ? {} : { concurrency }),
          explainFailures: values['explain-failures'] ?? false,
          onCaseFinished: (result, done, all) =>
            io.stderr(`[${done}/${all}] ${result.verdict.padEnd(7)} ${result.file} ${result.name}`),
        }),
      );
    } finally {
      await backend.close();
    }
  }
  if (values['dry-run']) {
    await emit(lines.join('\n'), values.out, io);
    return EXIT_OK;
  }
  const report = merge(reports);
  if (baseline) compareWithBaseline(report, baseline);
  const text =
    reporter === 'json'
      ? jsonReport(report)
      : reporter === 'junit'
        ? junitReport(report)
        : textReport(report);
  await emit(text, values.out, io);
  if (values.out !== undefined || reporter !== 'text') io.stderr(summaryLine(report));
  return exitCode(report);
}

export function exitCode(report: TestReport): number {
  const cases = report.files.flatMap((f) => f.cases);
  if (cases.some((c) => c.verdict === 'errored' && c.errorKind === 'backend')) return EXIT_BACKEND;
  const s = report.summary;
  return s.failed + s.errored > 0 ? EXIT_FAILED : EXIT_OK;
}

function parse(argv: string[]) {
  for (const arg of argv) {
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=')[0] ?? '';
    if (['token', 'api-key', 'apikey', 'key'].includes(name.toLowerCase()))
      throw new UsageError(
        'a token is never taken from the command line: put it in the environment variable PROMPTLENS_TOKEN (or name another with --token-env VAR)',
      );
    if (!(name in OPTIONS)) throw new UsageError(`unknown option --${name}`);
  }
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? (error.message.split('\n')[0] ?? 'invalid options') : 'invalid options',
    );
  }
}

async function readBaselineFile(file: string) {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new UsageError(`cannot read the baseline ${file}`);
  if (stat.size > MAX_BASELINE_BYTES)
    throw new UsageError(`the baseline ${file} is larger than ${MAX_BASELINE_BYTES} bytes`);
  try {
    return readBaseline(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: ${messageOf(error)}`);
  }
}

/** The front matter's `backend` when it names a kind; a profile name needs --backend (the CLI has no profiles). */
function kindOf(suite: LoadedSuite): BackendKind {
  const split = splitFrontMatter(suite.source);
  const named = split.yaml ? parseDocument(split.yaml.text).get('backend') : undefined;
  if (named === undefined || named === null) return 'llama-cpp';
  if (typeof named === 'string' && isBackendKind(named)) return named;
  throw new UsageError(
    `${suite.file} names the profile "${String(named)}", which only the editor knows: give --backend and --url`,
  );
}

async function emit(text: string, out: string | undefined, io: CliIo): Promise<void> {
  if (out === undefined) {
    io.stdout(text);
    return;
  }
  try {
    await fs.writeFile(out, `${text}\n`, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot write ${out}: ${messageOf(error)}`);
  }
}

function merge(reports: TestReport[]): TestReport {
  const merged: TestReport = {
    files: [],
    cost: { calls: 0, promptTokensProcessed: 0 },
    durationMs: 0,
    summary: { passed: 0, failed: 0, errored: 0, skipped: 0 },
  };
  for (const r of reports) {
    merged.files.push(...r.files);
    merged.cost.calls += r.cost.calls;
    merged.cost.promptTokensProcessed += r.cost.promptTokensProcessed;
    merged.durationMs += r.durationMs;
    for (const k of ['passed', 'failed', 'errored', 'skipped'] as const) merged.summary[k] += r.summary[k];
  }
  return merged;
}

function summaryLine(report: TestReport): string {
  const s = report.summary;
  return `promptlens test: ${s.passed} passed, ${s.failed} failed, ${s.errored} errored, ${s.skipped} skipped; ${report.cost.calls} calls, ${report.cost.promptTokensProcessed} prompt tokens processed`;
}
