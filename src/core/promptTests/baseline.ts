// `--baseline FILE`: compares a run with an earlier JSON report, case by case (file and case id).
import { z } from 'zod';
import type { TestReport, Verdict } from './types';

const baselineSchema = z.object({
  files: z.array(
    z.object({
      file: z.string(),
      cases: z.array(
        z.object({ caseId: z.string(), verdict: z.enum(['passed', 'failed', 'errored', 'skipped']) }),
      ),
    }),
  ),
});

/** Verdicts by `file\u0000caseId`; throws with a sentence when the text is not a report of ours. */
export function readBaseline(text: string): Map<string, Verdict> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('the baseline is not JSON: give a report written by `promptlens test --reporter json`');
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success) throw new Error('the baseline is not a `promptlens test --reporter json` report');
  const verdicts = new Map<string, Verdict>();
  for (const file of parsed.data.files)
    for (const c of file.cases) verdicts.set(key(file.file, c.caseId), c.verdict);
  return verdicts;
}

/** Marks each case: regression (passed before, not now), fix (the other way), new (not in the baseline). */
export function compareWithBaseline(
  report: TestReport,
  baseline: Map<string, Verdict>,
): { regressions: number; fixes: number } {
  let regressions = 0;
  let fixes = 0;
  for (const file of report.files)
    for (const c of file.cases) {
      const before = baseline.get(key(file.file, c.caseId));
      if (before === undefined) c.change = 'new';
      else if (before === 'passed' && c.verdict !== 'passed') {
        c.change = 'regression';
        regressions++;
      } else if (before !== 'passed' && c.verdict === 'passed') {
        c.change = 'fix';
        fixes++;
      }
    }
  return { regressions, fixes };
}

function key(file: string, caseId: string): string {
  return `${file}\u0000${caseId}`;
}
