import type { EvaluateResult } from '../backend';
import { describeEvaluationExtra, formatNumber, visibleWhitespace } from '../format';
import { describeScoringCost } from '../scoringCost';
import { percent, showToken } from './tokenMarkdown';

/** What was evaluated, for the report's heading. */
export interface EvaluationMeta {
  expected: string;
  /** The prompt's text as sent (non-text items left out). */
  prompt?: string;
  profile: string;
  model?: string;
  source: string;
}

export function greedyText(result: EvaluateResult): string {
  return result.correctGreedy === undefined ? 'unknown' : result.correctGreedy ? 'yes' : 'no';
}

/** One line for the notification. */
export function evaluationSummary(result: EvaluateResult): string {
  return (
    `log-probability ${formatNumber(result.logProbability)} (P = ${percent(result.logProbability)}), ` +
    `perplexity ${formatNumber(result.perplexityPerToken)}/token over ${result.tokenCount} token${result.tokenCount === 1 ? '' : 's'}, ` +
    `greedy decoding produces it: ${greedyText(result)}`
  );
}

const BAR_WIDTH = 20;

/** A probability as a bar of block characters, readable in any font. */
export function probabilityBar(logprob: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, Math.exp(logprob))) * BAR_WIDTH);
  return '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
}

/** The full report: totals, then one row per token with a bar of its probability. */
export function evaluationMarkdown(result: EvaluateResult, meta: EvaluationMeta): string {
  const lines = [
    '# Prompt Lens: evaluation of an expected completion',
    '',
    `Prompt from ${meta.source}, scored by **${meta.profile}**${meta.model ? ` (model \`${meta.model}\`)` : ''}.`,
    '',
    ...(meta.prompt === undefined
      ? []
      : [
          '**Prompt sent** (whitespace shown: · space, ↵ newline, ⊣ end)',
          '',
          '```text',
          fence(visibleWhitespace(meta.prompt)),
          '```',
          '',
        ]),
    '**Expected completion**',
    '',
    '```text',
    fence(visibleWhitespace(meta.expected)),
    '```',
    '',
    '| measure | value |',
    '|---|---:|',
    `| log-probability | ${formatNumber(result.logProbability)} |`,
    `| probability | ${percent(result.logProbability)} |`,
    `| perplexity per token | ${formatNumber(result.perplexityPerToken)} |`,
    `| perplexity per character | ${formatNumber(result.perplexityPerCharacter)} |`,
    `| tokens | ${result.tokenCount} |`,
    `| characters | ${result.characterCount} |`,
    `| greedy decoding produces it | ${greedyText(result)} |`,
  ];
  for (const { label, value } of evaluationExtras(result)) lines.push(`| ${label} | ${value} |`);
  const cost = describeScoringCost(result.cost);
  if (cost) lines.push('', `How it was scored: ${cost}.`);
  if (result.tokens.length > 0) {
    lines.push(
      '',
      '## Per token',
      '',
      '| # | token | log-prob | probability | |',
      '|---:|---|---:|---:|---|',
    );
    result.tokens.forEach((token, i) => {
      lines.push(
        `| ${i + 1} | ${showToken(token.text, true)} | ${formatNumber(token.logprob)} | ${percent(token.logprob)} | \`${probabilityBar(token.logprob)}\` |`,
      );
    });
  }
  return lines.join('\n') + '\n';
}

/** A backend's extra fields, named in words and formatted; fields only of internal use are left out. */
export function evaluationExtras(result: EvaluateResult): { label: string; value: string }[] {
  return Object.entries(result.extra ?? {}).flatMap(([name, value]) => {
    const label = describeEvaluationExtra(name);
    if (label === undefined) return [];
    const text =
      typeof value === 'number' ? formatNumber(value) : value === null ? 'n/a' : value ? 'yes' : 'no';
    return [{ label, value: text }];
  });
}

/** Keeps text from closing the code block it is shown in. */
function fence(text: string): string {
  return text.replace(/```/g, "'''");
}
