// Reports of a test run: text for people, JSON for tools and `--baseline`, JUnit XML for CI systems
// (one <testsuite> per file, one <testcase name="<case>" classname="<file>"> per case).
import type { CaseResult, TestReport } from './types';

export function textReport(report: TestReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    lines.push(file.file);
    if (file.error) lines.push(...file.error.split('\n').map((l) => `  ! ${l}`));
    for (const result of file.cases) {
      const mark = { passed: 'ok  ', failed: 'FAIL', errored: 'ERR ', skipped: 'skip' }[result.verdict];
      const change = result.change && result.change !== 'new' ? ` [${result.change}]` : '';
      lines.push(`  ${mark} ${result.name} (${result.durationMs} ms)${change}`);
      if (result.verdict === 'failed')
        for (const a of result.assertions.filter((x) => !x.passed)) lines.push(`       ${a.message}`);
      if (result.error && result.verdict !== 'passed') lines.push(`       ${result.error}`);
      if (result.explanation) lines.push(`       ${result.explanation}`);
    }
  }
  const s = report.summary;
  lines.push('');
  lines.push(
    `${s.passed} passed, ${s.failed} failed, ${s.errored} errored, ${s.skipped} skipped in ${(report.durationMs / 1000).toFixed(2)} s`,
  );
  lines.push(`${report.cost.calls} calls, ${report.cost.promptTokensProcessed} prompt tokens processed`);
  const regressions = report.files.flatMap((f) => f.cases).filter((c) => c.change === 'regression').length;
  const fixes = report.files.flatMap((f) => f.cases).filter((c) => c.change === 'fix').length;
  if (regressions + fixes > 0) lines.push(`against the baseline: ${regressions} regressions, ${fixes} fixes`);
  return lines.join('\n');
}

export function jsonReport(report: TestReport): string {
  return JSON.stringify({ version: 1, ...report }, null, 2);
}

export function junitReport(report: TestReport): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const s = report.summary;
  out.push(
    `<testsuites name="promptlens" tests="${s.passed + s.failed + s.errored + s.skipped}" failures="${s.failed}" errors="${s.errored}" skipped="${s.skipped}" time="${seconds(report.durationMs)}">`,
  );
  for (const file of report.files) {
    const count = (v: CaseResult['verdict']) => file.cases.filter((c) => c.verdict === v).length;
    const time = file.cases.reduce((t, c) => t + c.durationMs, 0);
    out.push(
      `  <testsuite name="${xml(file.file)}" tests="${file.cases.length}" failures="${count('failed')}" errors="${count('errored') + (file.error ? 1 : 0)}" skipped="${count('skipped')}" time="${seconds(time)}">`,
    );
    if (file.error)
      out.push(
        `    <testcase name="(test definitions)" classname="${xml(file.file)}" time="0">`,
        `      <error message="${xml(firstLine(file.error))}">${xml(file.error)}</error>`,
        '    </testcase>',
      );
    for (const c of file.cases) {
      out.push(
        `    <testcase name="${xml(c.name)}" classname="${xml(file.file)}" time="${seconds(c.durationMs)}">`,
      );
      if (c.verdict === 'failed') {
        const failed = c.assertions.filter((a) => !a.passed);
        const body = [
          ...failed.map((a) => a.message),
          ...(c.completion === undefined ? [] : [`completion: ${JSON.stringify(c.completion)}`]),
          ...(c.explanation ? [c.explanation] : []),
        ].join('\n');
        out.push(
          `      <failure message="${xml(failed[0]?.message ?? 'failed')}" type="assertion">${xml(body)}</failure>`,
        );
      } else if (c.verdict === 'errored')
        out.push(
          `      <error message="${xml(firstLine(c.error ?? 'error'))}" type="${c.errorKind ?? 'error'}">${xml(c.error ?? '')}</error>`,
        );
      else if (c.verdict === 'skipped') out.push(`      <skipped message="${xml(c.error ?? 'skipped')}"/>`);
      if (c.change === 'regression' || c.change === 'fix')
        out.push(`      <properties><property name="baseline" value="${c.change}"/></properties>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** XML attribute/text escaping; characters XML 1.0 cannot carry at all are dropped. */
export function xml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      .replace(/\n/g, '&#10;')
  );
}
