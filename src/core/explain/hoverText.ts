import { formatScore, ordinal } from './heat';
import type { HeatView } from './heatModel';

/** `target token 2/5: " hands"`, or `complete target: " hold hands"`. */
export function viewLabel(target: string, view: HeatView, tokenCount: number): string {
  if (view.token === undefined) return `complete target: ${JSON.stringify(target)}`;
  return `target token ${view.token + 1}/${tokenCount}: ${JSON.stringify(view.target)}`;
}

export interface HoverFacts {
  label: string;
  score: number;
  rank: number;
  of: number;
  /** Variables whose `{{ }}` output the span is, with each one's total score. */
  variables: { name: string; total: number }[];
}

export function hoverMarkdown(facts: HoverFacts): string {
  const effect = facts.score > 0 ? 'helped produce the target' : 'worked against the target';
  const lines = [
    `**Prompt Lens explanation** (${escape(facts.label)})`,
    '',
    `Score **${formatScore(facts.score)}**: ${effect}; ${ordinal(facts.rank)} of ${facts.of} by strength.`,
  ];
  for (const variable of facts.variables) {
    lines.push(
      '',
      `Output of \`${variable.name}\`: total for the variable **${formatScore(variable.total)}**.`,
    );
  }
  return lines.join('\n');
}

/** Escapes Markdown in text from the document or the target. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
