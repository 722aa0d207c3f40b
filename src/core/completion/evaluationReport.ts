import type { EvaluateResult } from '../backend';
import { percent, showToken } from './tokenMarkdown';

/** What was evaluated, for the report's heading. */
export interface EvaluationMeta {
  expected: string;
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
    `log-probability ${result.logProbability.toFixed(3)} (P = ${percent(result.logProbability)}), ` +
    `perplexity ${result.perplexityPerToken.toFixed(3)}/token over ${result.tokenCount} token${result.tokenCount === 1 ? '' : 's'}, ` +
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
    '**Expected completion**',
    '',
    '```text',
    meta.expected.replace(/```/g, "'''"),
    '```',
    '',
    '| measure | value |',
    '|---|---:|',
    `| log-probability | ${result.logProbability.toFixed(4)} |`,
    `| probability | ${percent(result.logProbability)} |`,
    `| perplexity per token | ${result.perplexityPerToken.toFixed(4)} |`,
    `| perplexity per character | ${result.perplexityPerCharacter.toFixed(4)} |`,
    `| tokens | ${result.tokenCount} |`,
    `| characters | ${result.characterCount} |`,
    `| greedy decoding produces it | ${greedyText(result)} |`,
  ];
  for (const [name, value] of Object.entries(result.extra ?? {})) {
    lines.push(`| ${name} | ${typeof value === 'number' ? value.toFixed(4) : String(value)} |`);
  }
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
        `| ${i + 1} | ${showToken(token.text, true)} | ${token.logprob.toFixed(4)} | ${percent(token.logprob)} | \`${probabilityBar(token.logprob)}\` |`,
      );
    });
  }
  return lines.join('\n') + '\n';
}
