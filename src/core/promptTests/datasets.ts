// Dataset files named by `tests: - file: cases.jsonl` (or .csv). The path comes from a file anyone may
// have written, so it is checked: relative, inside the prompt file's folder tree or a workspace root
// once symbolic links are resolved, a regular file, and at most MAX_DATASET_BYTES / MAX_DATASET_CASES.
import { PromptLensError, messageOf } from '../errors';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseCsv } from './csv';
import { caseFields, uniqueId } from './parse';
import type { DatasetEntry, TestCase } from './types';

export const MAX_DATASET_BYTES = 5 * 1024 * 1024;
export const MAX_DATASET_CASES = 10_000;

export class DatasetError extends PromptLensError {
  override readonly name = 'DatasetError';
  constructor(message: string) {
    super('bad-request', message);
  }
}

export interface DatasetOptions {
  /** Folders a dataset may live in besides the prompt file's own folder tree (workspace roots). */
  roots?: readonly string[];
}

/** The dataset's real path, or a DatasetError saying why it may not be read. */
export async function resolveDataset(
  promptFile: string,
  file: string,
  options: DatasetOptions = {},
): Promise<string> {
  if (path.isAbsolute(file) || /^[a-z][a-z0-9+.-]*:/i.test(file))
    throw new DatasetError(`The dataset "${file}" must be a path relative to the prompt file.`);
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.jsonl' && ext !== '.csv')
    throw new DatasetError(`The dataset "${file}" must be a .jsonl or .csv file.`);
  const folder = path.dirname(path.resolve(promptFile));
  const candidate = path.resolve(folder, file);
  const roots = await Promise.all([folder, ...(options.roots ?? [])].map(realOrSelf));
  let real: string;
  try {
    real = await fs.realpath(candidate);
  } catch {
    throw new DatasetError(`The dataset "${file}" does not exist (looked for ${candidate}).`);
  }
  if (!roots.some((root) => inside(real, root)))
    throw new DatasetError(
      `The dataset "${file}" is outside the prompt file's folder and the workspace; move it next to the prompt file.`,
    );
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new DatasetError(`The dataset "${file}" is not a file.`);
  if (stat.size > MAX_DATASET_BYTES)
    throw new DatasetError(
      `The dataset "${file}" has ${stat.size} bytes; at most ${MAX_DATASET_BYTES} are read. Split it into several files.`,
    );
  return real;
}

/** Reads the dataset and merges each row with the entry's other keys (row values win, `expect` lists add up). */
export async function loadDataset(
  promptFile: string,
  entry: DatasetEntry,
  options: DatasetOptions = {},
): Promise<TestCase[]> {
  const real = await resolveDataset(promptFile, entry.file, options);
  const handle = await fs.open(real, 'r');
  let text: string;
  try {
    const buffer = Buffer.alloc(MAX_DATASET_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_DATASET_BYTES)
      throw new DatasetError(
        `The dataset "${entry.file}" grew past ${MAX_DATASET_BYTES} bytes while being read.`,
      );
    text = buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  const rows = real.toLowerCase().endsWith('.csv') ? csvRows(text, entry.file) : jsonlRows(text, entry.file);
  if (rows.length > MAX_DATASET_CASES)
    throw new DatasetError(
      `The dataset "${entry.file}" has ${rows.length} cases; at most ${MAX_DATASET_CASES} run.`,
    );
  const used = new Set<string>();
  return rows.map(({ raw, line }) => {
    const fields = caseFields(raw, true);
    if (fields.problems.length > 0)
      throw new DatasetError(`${entry.file}:${line + 1}: ${fields.problems[0]}`);
    const name = fields.name ?? `${entry.base.name ?? entry.file} #${line + 1}`;
    const testCase: TestCase = {
      id: uniqueId(`${entry.file}#${fields.name ?? line + 1}`, used),
      name,
      vars: { ...entry.base.vars, ...fields.vars },
      expect: [...entry.base.expect, ...fields.expect],
      location: { file: real, position: { line, column: 0 } },
      dataset: entry.file,
    };
    const target = fields.target ?? entry.base.target;
    if (target !== undefined) testCase.target = target;
    return testCase;
  });
}

function jsonlRows(text: string, file: string): { raw: Record<string, unknown>; line: number }[] {
  const rows: { raw: Record<string, unknown>; line: number }[] = [];
  text.split(/\r?\n/).forEach((lineText, line) => {
    if (lineText.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (error) {
      throw new DatasetError(`${file}:${line + 1}: not JSON (${messageOf(error)}).`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new DatasetError(
        `${file}:${line + 1}: each line is one case, a JSON object {name?, vars, expect?}.`,
      );
    rows.push({ raw: value as Record<string, unknown>, line });
  });
  return rows;
}

/** A header row; the columns `name`, `expected` and `target` are the case's, every other one a variable. */
function csvRows(text: string, file: string): { raw: Record<string, unknown>; line: number }[] {
  let table;
  try {
    table = parseCsv(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new DatasetError(`${file}: ${messageOf(error)}.`);
  }
  const [header, ...body] = table;
  if (!header) return [];
  const names = header.cells.map((c) => c.trim());
  if (names.some((n) => n === ''))
    throw new DatasetError(`${file}:1: every column of the header row needs a name.`);
  return body.map(({ cells, line }) => {
    if (cells.length !== names.length)
      throw new DatasetError(`${file}:${line + 1}: ${cells.length} fields, the header has ${names.length}.`);
    const raw: Record<string, unknown> = {};
    const vars: Record<string, unknown> = {};
    names.forEach((name, i) => {
      if (name === 'name' || name === 'expected' || name === 'target') raw[name] = cells[i];
      else vars[name] = cells[i];
    });
    raw['vars'] = vars;
    return { raw, line };
  });
}

async function realOrSelf(folder: string): Promise<string> {
  try {
    return await fs.realpath(folder);
  } catch {
    return path.resolve(folder);
  }
}

function inside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
