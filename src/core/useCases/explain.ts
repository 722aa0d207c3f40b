// Explain, planned once and run from its plan, and its result projected onto the source the prompt
// came from: the document's text, or a `.prompt` template through the render's source map.
import type { Backend, ExplainRequest, ExplainResult } from '../backend';
import { layoutOnDocument, layoutOnTemplate, type HeatLayout } from '../explain/heatLayout';
import { explanationViews, textItemStarts, type ExplanationViews } from '../explain/heatModel';
import { explain, planExplanation, type ExplainPlan } from '../explain/index';
import { projectExplanation, type ImageScores } from '../explain/projection';
import { explanationOnTemplate } from '../explain/template';
import { itemsOf } from '../explain/segments';
import { describeExplainCost } from '../scoringCost';
import type { RenderResult } from '../promptFile/index';
import type { ResolvedPrompt } from './prompt';

export interface PlannedExplanation {
  request: ExplainRequest;
  plan: ExplainPlan;
}

/** What the explanation will cost, asked of the backend once (capabilities, tokenization, slots). */
export async function planExplain(backend: Backend, request: ExplainRequest): Promise<PlannedExplanation> {
  return { request, plan: await planExplanation(backend, request) };
}

/** Runs a planned explanation without planning it again. */
export function runExplain(
  backend: Backend,
  planned: PlannedExplanation,
  run: Pick<ExplainRequest, 'signal' | 'onProgress'> = {},
): Promise<ExplainResult> {
  return explain(backend, { ...planned.request, ...run }, {}, planned.plan);
}

/** The heat map of an explanation: per-target-token views of the spans, and where they are painted. */
export interface SourceProjection extends ExplanationViews {
  layout: HeatLayout;
}

/** Projects an explanation of `explained` (the prompt sent) onto the source `resolved` was read from. */
export function projectOntoSource(
  result: ExplainResult,
  resolved: ResolvedPrompt,
  explained: ExplainRequest['prompt'],
  target: string,
): SourceProjection {
  const views = explanationViews(result, target, textItemStarts(itemsOf(explained)));
  const layout =
    resolved.kind === 'template' && resolved.render
      ? layoutOnTemplate(views.spans, resolved.render.map)
      : layoutOnDocument(views.spans, resolved.offset);
  return { ...views, layout };
}

export interface ExplanationReport {
  target: string;
  targets: {
    target: string;
    spans: { start: number; length: number; score: number }[];
    images: ImageScores[];
    perVariable?: { name: string; score: number }[];
    perRange?: { name: string; score: number }[];
  }[];
  /** Said when the template totals could not be computed. */
  note?: string;
  calls?: number;
}

/** An explanation as data (the panel, prompt tests): spans of the prompt text, images, template totals. */
export function explanationReport(
  result: ExplainResult,
  resolved: ResolvedPrompt,
  target: string,
): ExplanationReport {
  const { render, text } = resolved;
  let note: string | undefined;
  const targets = projectExplanation(result, resolved.prompt).map((explanation) => {
    const totals = render ? templateTotals(explanation.spans, render) : undefined;
    if (render && !totals)
      note = 'Totals per variable and per promptrange could not be computed for this template.';
    return {
      target: explanation.target,
      spans: explanation.spans.filter((s) => s.start + s.length <= text.length),
      images: explanation.images,
      ...totals,
    };
  });
  return {
    target,
    targets,
    ...(note !== undefined && { note }),
    ...(result.cost && { calls: result.cost.calls, scoring: describeExplainCost(result.cost) ?? '' }),
  };
}

function templateTotals(
  spans: { start: number; length: number; score: number }[],
  render: RenderResult,
):
  | { perVariable: { name: string; score: number }[]; perRange: { name: string; score: number }[] }
  | undefined {
  try {
    const onTemplate = explanationOnTemplate(spans, render);
    return {
      perVariable: onTemplate.perVariable.map(({ variable, score }) => ({ name: variable, score })),
      perRange: onTemplate.perRange.map(({ name, score }) => ({ name, score })),
    };
  } catch {
    // A source map the totals cannot follow must not lose the run: the rest is shown.
    return undefined;
  }
}
