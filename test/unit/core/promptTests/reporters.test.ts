import * as assert from 'node:assert/strict';
import { compareWithBaseline, readBaseline } from '../../../../src/core/promptTests/baseline';
import { jsonReport, junitReport, textReport } from '../../../../src/core/promptTests/reporters';
import type { CaseResult, TestReport } from '../../../../src/core/promptTests/types';

const at = { file: 'a.prompt', position: { line: 3, column: 4 } };
const result = (
  name: string,
  verdict: CaseResult['verdict'],
  extra: Partial<CaseResult> = {},
): CaseResult => ({
  file: 'a.prompt',
  caseId: name,
  name,
  verdict,
  durationMs: 1500,
  assertions: [],
  location: at,
  ...extra,
});

function report(): TestReport {
  return {
    files: [
      {
        file: 'a.prompt',
        cases: [
          result('ok', 'passed'),
          result('fr <&> "q"', 'failed', {
            completion: ' London',
            assertions: [
              {
                assertion: { kind: 'contains', value: 'Paris' },
                passed: false,
                message: 'contains "Paris": does not hold; the completion was " London"',
              },
            ],
          }),
          result('down', 'errored', { error: 'Cannot reach the server.', errorKind: 'backend' }),
        ],
      },
    ],
    cost: { calls: 4, promptTokensProcessed: 120 },
    durationMs: 2000,
    summary: { passed: 1, failed: 1, errored: 1, skipped: 0 },
  };
}

describe('prompt tests: reporters and baseline', () => {
  it('JUnit: one testsuite per file, one testcase per case with classname = file, failure with the message', () => {
    const xml = junitReport(report());
    assert.match(
      xml,
      /<testsuite name="a\.prompt" tests="3" failures="1" errors="1" skipped="0" time="4\.500">/,
    );
    assert.match(xml, /<testcase name="ok" classname="a\.prompt" time="1\.500">\n {4}<\/testcase>/);
    assert.match(
      xml,
      /<testcase name="fr &lt;&amp;&gt; &quot;q&quot;" classname="a\.prompt" time="1\.500">\n {6}<failure message="contains &quot;Paris&quot;: does not hold; the completion was &quot; London&quot;" type="assertion">/,
    );
    assert.match(xml, /<error message="Cannot reach the server\." type="backend">/);
  });

  it('text gives each failure and the cost; JSON round-trips through the baseline reader', () => {
    const text = textReport(report());
    assert.match(text, /FAIL fr <&> "q" \(1500 ms\)\n {7}contains "Paris": does not hold/);
    assert.match(
      text,
      /1 passed, 1 failed, 1 errored, 0 skipped in 2\.00 s\n4 calls, 120 prompt tokens processed/,
    );
    const baseline = readBaseline(jsonReport(report()));
    assert.equal(baseline.size, 3);
  });

  it('marks regressions and fixes against the baseline', () => {
    const before = report();
    const now = report();
    const [ok, fr] = now.files[0]!.cases;
    ok!.verdict = 'failed';
    fr!.verdict = 'passed';
    now.files[0]!.cases.push(result('added', 'passed'));
    const { regressions, fixes } = compareWithBaseline(now, readBaseline(jsonReport(before)));
    assert.deepEqual([regressions, fixes], [1, 1]);
    assert.deepEqual(
      now.files[0]!.cases.map((c) => c.change),
      ['regression', 'fix', undefined, 'new'],
    );
    assert.match(textReport(now), /against the baseline: 1 regressions, 1 fixes/);
    assert.throws(() => readBaseline('{"files": 3}'), /not a `promptlens test --reporter json` report/);
  });
});
