import type { TokenLogProb } from '../backend';

/** A token's text as code, with whitespace made visible (a leading space matters in a token). */
export function showToken(text: string, inTable = false): string {
  const visible = (inTable ? text.replace(/\|/g, '\\|') : text)
    .replace(/\n/g, '↵')
    .replace(/\t/g, '⇥')
    .replace(/ /g, '·');
  return '`' + (visible.replace(/`/g, "'") || '∅') + '`';
}

export function percent(logprob: number): string {
  const p = Math.exp(logprob) * 100;
  return p >= 10 ? `${p.toFixed(1)} %` : p >= 0.01 ? `${p.toFixed(2)} %` : `${p.toExponential(1)} %`;
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
export function tokenHoverMarkdown(token: TokenLogProb): string {
  const lines = [`**Generated token** ${showToken(token.text)}`, ''];
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
      `log-probability **${token.logprob.toFixed(4)}** · probability **${percent(token.logprob)}** · rank **${rankText}**`,
    );
  }
  if (token.top.length > 0) {
    lines.push('', '| # | alternative | probability | log-prob |', '|---:|---|---:|---:|');
    [...token.top]
      .sort((a, b) => b.logprob - a.logprob)
      .forEach((alt, i) => {
        const mark = alt.text === token.text ? ' ◀' : '';
        lines.push(
          `| ${i + 1} | ${showToken(alt.text, true)}${mark} | ${percent(alt.logprob)} | ${alt.logprob.toFixed(3)} |`,
        );
      });
  }
  return lines.join('\n');
}
