// One number format for the editor, the panel and the CLI, so the same result reads the same
// everywhere: log-probabilities, perplexities and scores with four significant digits (scientific
// only for very small or large magnitudes), probabilities as percentages that never go scientific.

const SIGNIFICANT = 4;

/** A plain number: `-2.303`, `0.0812`, `12.35`, `1235`; `1.9e-5` below 0.001, `1.2e+6` from a million. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e6) return value.toExponential(1);
  return trimZeros(value.toPrecision(SIGNIFICANT));
}

/** A score that can help or hurt, with its sign: `+0.0812`, `-1.9e-5`, `0`. */
export function formatSigned(value: number): string {
  const text = formatNumber(value);
  return value > 0 && Number.isFinite(value) ? `+${text}` : text;
}

/** A probability (0..1) as a percentage: `88.4%`, `5.2%`, `0.052%`, `< 0.01%`, `0%`, `100%`. */
export function formatProbability(probability: number): string {
  if (!Number.isFinite(probability)) return 'n/a';
  const percent = probability * 100;
  if (percent <= 0) return '0%';
  if (percent < 0.01) return '< 0.01%';
  if (percent >= 99.95 && percent < 100) return '> 99.9%';
  return `${trimZeros(percent >= 10 ? percent.toFixed(1) : percent.toPrecision(2))}%`;
}

/** A log-probability with the probability it stands for: `-2.303 (10%)`. */
export function formatLogProb(logprob: number): string {
  return `${formatNumber(logprob)} (${formatProbability(Math.exp(logprob))})`;
}

function trimZeros(text: string): string {
  if (!text.includes('.') || text.includes('e')) return text;
  return text.replace(/\.?0+$/, '');
}

/**
 * What a backend's extra evaluation field means, in words; `undefined` for fields that are only of
 * use inside Prompt Lens. Unknown fields get their name spelled out (`log_perplexity` → "log perplexity").
 */
export function describeEvaluationExtra(name: string): string | undefined {
  const known: Record<string, string | undefined> = {
    boundaryMerged: "prompt's last token merges with the expected text",
  };
  if (name in known) return known[name];
  return name
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

const NAME = /`[^`\n]*`|"[^"\n]*"/g;
const MAX_NAMES_SHOWN = 6;

/**
 * A message short enough for a notification: a server's list of accepted names ("unknown field
 * `n_predict`, expected one of `model`, `prompt`, ... 25 names") is cut, pointing at the log where
 * the full text is.
 */
export function notificationText(message: string): string {
  const names = message.match(NAME) ?? [];
  if (names.length <= MAX_NAMES_SHOWN) return message;
  const listStart = /,?\s*expected one of\b/i.exec(message);
  if (listStart) {
    const listed = (message.slice(listStart.index).match(NAME) ?? []).length;
    return `${message.slice(0, listStart.index)} (the ${listed} accepted names are in the log).`;
  }
  let shown = 0;
  for (const match of message.matchAll(NAME)) {
    if (++shown === MAX_NAMES_SHOWN) {
      const cut = (match.index ?? 0) + match[0].length;
      return `${message.slice(0, cut)}, … (${names.length - shown} more in the log)`;
    }
  }
  return message;
}

/**
 * Text with its whitespace visible, for showing the exact prompt: `·` for a space, `⇥` for a tab,
 * `↵` before each line break, and `⊣` where the text ends (so a final newline or space shows).
 */
export function visibleWhitespace(text: string): string {
  return `${text.replace(/ /g, '·').replace(/\t/g, '⇥').replace(/\r?\n/g, '↵\n')}⊣`;
}
