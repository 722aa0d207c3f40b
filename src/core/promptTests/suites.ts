// Turns prompt files into suites to run: parse `tests:`, load the datasets they name (checked paths).
import { messageOf } from '../errors';
import { loadDataset, type DatasetOptions } from './datasets';
import { parseTestSuite } from './parse';
import type { SuiteToRun } from './runner';
import type { PromptTestSuite } from './types';

export interface LoadedSuite extends SuiteToRun {
  parsed: PromptTestSuite;
}

/** Every case of a prompt file, datasets included; a bad dataset or test entry makes the file errored. */
export async function loadSuite(
  file: string,
  source: string,
  options: DatasetOptions = {},
): Promise<LoadedSuite> {
  const parsed = parseTestSuite(source, file);
  const suite: LoadedSuite = { file, source, cases: [...parsed.cases], parsed };
  const problems = parsed.problems.map((p) => `${file}:${p.position.line + 1}: ${p.message}`);
  for (const entry of parsed.datasets) {
    try {
      suite.cases.push(...(await loadDataset(file, entry, options)));
    } catch (error) {
      problems.push(`${file}:${entry.position.line + 1}: ${messageOf(error)}`);
    }
  }
  if (problems.length > 0) suite.error = problems.join('\n');
  return suite;
}
