import type { TokenLogProb } from '../backend';
import { formatNumber, formatProbability } from '../format';
import { DEMO_PROFILE_NAME, SIMULATED_NOTE } from '../profile';

/** A token's text as code, with whitespace made visible (a leading space matters in a token). */
export function showToken(text: string, inTable = false): string {
  const visible = (inTable ? text.replace(/\|/g, '\\|') : text)
    .replace(/\n/g, '↵')
    .replace(/\t/g, '⇥')
    .replace(/ /g, '·');
  return '`' + (visible.replace(/`/g, "'") || '∅') + '`';
}

/** The probability a log-probability stands for, in the shared format (`10%`, `< 0.01%`). */
export function percent(logprob: number): string {
  return formatProbability(Math.exp(logprob));
}

/** 1-based rank of the sampled token among the alternatives, or undefined when it is not among them. */
export function rankOf(token: TokenLogProb): number | undefined {
  const sorted = [...token.top].sort((a, b) => b.logprob - a.logprob);
  const index = sorted.findIndex((t) =>
    t.id !== undefined && token.id !== undefined ? t.id === token.id : t.text === token.text,
  );
  return index >= 0 ? index + 1 : undefined;
}

/** The hover of a generated token: its numbers and the table of top alternatives. */
export function tokenHoverMarkdown(token: TokenLogProb, source?: string): string {
  const lines = [`**Generated token** ${showToken(token.text)}`, ''];
  if (source === DEMO_PROFILE_NAME) lines.push(`*${SIMULATED_NOTE}*`, '');
  else if (source !== undefined)
    lines.push(`From profile *${source.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`)}*.`, '');
  if (token.logprob === null) {
    lines.push('The backend gave no log-probability for this token.');
  } else {
    const rank = rankOf(token);
    const rankText =
      rank !== undefined
        ? `${rank} of ${token.top.length}`
        : token.top.length > 0
          ? `not in the top ${token.top.length}`
          : 'unknown';
    lines.push(
      `log-probability **${formatNumber(token.logprob)}** · probability **${percent(token.logprob)}** · rank **${rankText}**`,
    );
  }
  if (token.top.length > 0) {
    lines.push('', '| # | alternative | probability | log-prob |', '|---:|---|---:|---:|');
    [...token.top]
      .sort((a, b) => b.logprob - a.logprob)
      .forEach((alt, i) => {
        const mark = alt.text === token.text ? ' ◀' : '';
        lines.push(
          `| ${i + 1} | ${showToken(alt.text, true)}${mark} | ${percent(alt.logprob)} | ${formatNumber(alt.logprob)} |`,
        );
      });
  }
  return lines.join('\n');
}
