import { formatScore, HEAT_SCALE, ordinal, stepShare } from './heat';
import type { HeatView } from './heatModel';

/** The keys that step through per-token explanations, named wherever per-token results show. */
export const STEP_KEYS = 'Alt+] / Alt+[';

/** Escapes Markdown in text from the document or the target. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/** `target token 2/5: " hands"`, or `complete target: " hold hands"`. */
export function viewLabel(target: string, view: HeatView, tokenCount: number): string {
  if (view.token === undefined) return `complete target: ${JSON.stringify(target)}`;
  return `target token ${view.token + 1}/${tokenCount}: ${JSON.stringify(view.target)}`;
}

export interface HoverFacts {
  label: string;
  score: number;
  /** Signed heat step, -4..4. */
  step: number;
  rank: number;
  of: number;
  /** Variables whose `{{ }}` output the span is, with each one's total score. */
  variables: { name: string; total: number }[];
  /** How many target tokens can be stepped through (0: none). */
  tokenCount: number;
  /** The prompt was edited after the explanation ran. */
  stale: boolean;
}

export function hoverMarkdown(facts: HoverFacts): string {
  const effect =
    facts.score > 0
      ? 'helped produce the target'
      : facts.score < 0
        ? 'worked against the target'
        : 'no effect';
  const step =
    facts.step === 0
      ? `uncoloured (${stepShare(0)} of the strongest)`
      : `step ${Math.abs(facts.step)} of 4 (${stepShare(facts.step)} of the strongest)`;
  const lines = [`**Prompt Lens explanation** (${escapeMarkdown(facts.label)})`];
  if (facts.stale)
    lines.push(
      '',
      '**Stale**: the prompt was edited after this ran. Run Explain Target again for current scores.',
    );
  lines.push(
    '',
    `Score **${formatScore(facts.score)}**: ${effect}; ${ordinal(facts.rank)} of ${facts.of} by strength; ` +
      `${step}.`,
  );
  for (const variable of facts.variables) {
    lines.push(
      '',
      `Output of \`${variable.name}\`: total for the variable **${formatScore(variable.total)}**.`,
    );
  }
  lines.push('', `*Scale*: ${HEAT_SCALE}`);
  if (facts.tokenCount > 0)
    lines.push('', `${STEP_KEYS}: next / previous of the ${facts.tokenCount} target tokens.`);
  return lines.join('\n');
}
