// Runs the panel's actions through the core and turns each result into a history `Run`.
import * as vscode from 'vscode';
import type {
  Backend,
  CompletionRequest,
  EvaluateResult,
  ExplainResult,
  PromptItem,
} from '../../core/backend';
import { explain, planExplanation } from '../../core/explain/index';
import { explanationOnTemplate } from '../../core/explain/template';
import type { Profile } from '../../core/profile';
import type { RenderResult } from '../../core/promptFile/index';
import { config } from '../../config';
import type { Ctx } from '../../ctx';
import type {
  Metric,
  Run,
  TargetExplanation,
  TokenLogProbView,
  WebviewMessage,
} from '../../webview/protocol';
import { backendRegistry } from '../backends';
import { completionDeltas, completionRequest } from '../completion/request';
import { explainOptions } from '../explain/run';
import { fileNameOf, isPromptFile, throwOnTemplateErrors } from '../promptSource';
import { renderWithVars } from './promptState';

/** Images larger than this (base64 characters) are shown for the run but not kept in the history. */
const MAX_KEPT_IMAGE = 300_000;

export class PanelRunError extends Error {
  readonly kind = 'bad-request';
}

export interface RunProgress {
  text?: string;
  done?: number;
  total?: number;
}

interface Prepared {
  backend: Backend;
  profile: Profile;
  model: string | undefined;
  render: RenderResult | undefined;
  promptText: string;
  prompt: string | PromptItem[];
}

/** Runs one action; throws typed errors (the session shows them in the panel). */
export async function runAction(
  ctx: Ctx,
  document: vscode.TextDocument,
  request: WebviewMessage<'run/start'>,
  signal: AbortSignal,
  onProgress: (progress: RunProgress) => void,
): Promise<Run> {
  const prepared = await prepare(ctx, document, request);
  const { backend, model, render, promptText, prompt } = prepared;
  const settings = render?.settings;
  const base: Run = {
    id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    time: Date.now(),
    action: request.action,
    fileName: fileNameOf(document),
    profile: prepared.profile.name,
    ...(model !== undefined && { model }),
    promptText,
    images: imagesOf(render),
    params: settings?.params ?? {},
    vars: request.vars,
  };
  const modelPart = model !== undefined ? { model } : {};
  switch (request.action) {
    case 'complete': {
      const completion = completionRequest(prompt, model, settings, signal);
      return { ...base, completion: await completeStreaming(ctx, prepared, completion, onProgress) };
    }
    case 'evaluate': {
      const expected = request.expected || settings?.expected;
      if (!expected)
        throw new PanelRunError(
          'Evaluate needs an expected completion: type one in the panel or set `expected:` in the front matter.',
        );
      const result = await backend.evaluate({ prompt, expected, ...modelPart, signal });
      return {
        ...base,
        evaluation: {
          expected,
          metrics: metricsOf(result),
          tokens: result.tokens.map(({ text, logprob }) => ({ text, logprob })),
        },
      };
    }
    case 'explain': {
      const target = request.target || settings?.target || settings?.expected;
      if (!target)
        throw new PanelRunError(
          'Explain needs a target: type one in the panel or set `target:` in the front matter.',
        );
      const explainRequest = {
        prompt,
        target,
        ...modelPart,
        ...explainOptions(),
        signal,
        onProgress: (done: number, total: number) => onProgress({ done, total }),
      };
      const plan = await planExplanation(backend, explainRequest);
      if (plan.calls > config.explainCostThreshold()) {
        const go = await vscode.window.showWarningMessage(
          `Prompt Lens: this explanation needs ${plan.calls} scoring calls (${plan.segments} segments). Run it?`,
          { modal: true },
          'Explain',
        );
        if (go !== 'Explain')
          return { ...base, error: { kind: 'cancelled', message: 'The explanation was not run.' } };
      }
      const result = await explain(backend, explainRequest);
      return { ...base, explanation: explanationOf(ctx, result, target, render, promptText, prompt) };
    }
    case 'tokenize': {
      const tokens = await backend.tokenize({ text: promptText, ...modelPart, signal });
      return { ...base, tokens: tokens.map(({ id, text }) => ({ id, text })) };
    }
  }
}

async function prepare(
  ctx: Ctx,
  document: vscode.TextDocument,
  request: WebviewMessage<'run/start'>,
): Promise<Prepared> {
  const registry = ctx.service(backendRegistry);
  if (isPromptFile(document)) {
    // The file's settings pick the profile and model unless the panel picked them.
    const first = await renderWithVars(ctx, document, undefined);
    const connection = await registry.connect(
      request.profile || first.settings.backend,
      request.model || first.settings.model,
    );
    const render = await renderWithVars(ctx, document, connection.profile.kind, request.vars);
    throwOnTemplateErrors(document, render);
    return {
      backend: connection.backend,
      profile: connection.profile,
      model: connection.model,
      render,
      promptText: render.text,
      prompt: render.prompt,
    };
  }
  const connection = await registry.connect(request.profile || undefined, request.model || undefined);
  const text = document.getText();
  if (!text.trim()) throw new PanelRunError(`${fileNameOf(document)} is empty: there is no prompt to send.`);
  return {
    backend: connection.backend,
    profile: connection.profile,
    model: connection.model,
    render: undefined,
    promptText: text,
    prompt: text,
  };
}

async function completeStreaming(
  ctx: Ctx,
  prepared: Prepared,
  request: CompletionRequest,
  onProgress: (progress: RunProgress) => void,
): Promise<NonNullable<Run['completion']>> {
  const { backend } = prepared;
  const capabilities = await ctx
    .service(backendRegistry)
    .capabilities(prepared.profile, backend)
    .catch(() => undefined);
  const canStream = capabilities?.stream ?? false;
  let text = '';
  let finishReason = 'unknown';
  const tokens: TokenLogProbView[] = [];
  for await (const delta of completionDeltas(backend, canStream, request)) {
    if (delta.index !== 0) continue;
    text += delta.text;
    tokens.push(...delta.tokens.map(tokenView));
    if (delta.finishReason) finishReason = delta.finishReason;
    if (canStream) onProgress({ text });
  }
  return { text, finishReason, tokens };
}

const tokenView = (token: {
  text: string;
  logprob: number | null;
  top: { text: string; logprob: number }[];
}): TokenLogProbView => ({
  text: token.text,
  logprob: token.logprob,
  top: token.top.map(({ text, logprob }) => ({ text, logprob })),
});

function metricsOf(result: EvaluateResult): Metric[] {
  const metrics: Metric[] = [
    { name: 'log probability', value: result.logProbability },
    { name: 'probability', value: Math.exp(result.logProbability) },
    { name: 'tokens', value: result.tokenCount },
    { name: 'characters', value: result.characterCount },
    { name: 'perplexity per token', value: result.perplexityPerToken },
    { name: 'perplexity per character', value: result.perplexityPerCharacter },
  ];
  if (result.correctGreedy !== undefined)
    metrics.push({ name: 'greedy would produce it', value: result.correctGreedy });
  for (const [name, value] of Object.entries(result.extra ?? {})) metrics.push({ name, value });
  return metrics;
}

function imagesOf(render: RenderResult | undefined): Run['images'] {
  if (!render) return [];
  return render.items.flatMap((item, index) => {
    if (item.type !== 'image') return [];
    const at = render.itemStarts[index] ?? 0;
    const mime = item.data.startsWith('/9j/') ? 'image/jpeg' : 'image/png';
    return [item.data.length <= MAX_KEPT_IMAGE ? { at, src: `data:${mime};base64,${item.data}` } : { at }];
  });
}

/** Spans in the prompt text's offsets, image tiles per image, and template totals where the core has them. */
function explanationOf(
  ctx: Ctx,
  result: ExplainResult,
  target: string,
  render: RenderResult | undefined,
  promptText: string,
  prompt: string | PromptItem[],
): NonNullable<Run['explanation']> {
  const items = typeof prompt === 'string' ? [{ type: 'text' as const, text: prompt }] : prompt;
  const starts = render?.itemStarts ?? [0];
  const imageNumber = new Map<number, number>();
  items.forEach((item, index) => item.type === 'image' && imageNumber.set(index, imageNumber.size));
  let note: string | undefined;
  const targets: TargetExplanation[] = result.explanations.map((explanation) => {
    const spans: TargetExplanation['spans'] = [];
    const images: TargetExplanation['images'] = [];
    explanation.items.forEach((item, index) => {
      if (item.type === 'text' && items[index]?.type === 'text') {
        const offset = starts[index] ?? 0;
        for (const score of item.scores)
          spans.push({ start: offset + score.start, length: score.length, score: score.score });
      } else if (item.type === 'image') {
        images.push({
          image: imageNumber.get(index) ?? images.length,
          tiles: item.scores.map(({ rect, score }) => ({ rect, score })),
        });
      }
    });
    const totals = render ? templateTotals(spans, render) : undefined;
    if (render && !totals) note = 'Totals per variable and per promptrange could not be computed for this template.';
    return {
      target: explanation.target,
      spans: spans.filter((s) => s.start + s.length <= promptText.length),
      images,
      ...totals,
    };
  });
  if (note) ctx.log.info(`panel: ${note}`);
  return {
    target,
    targets,
    ...(note !== undefined && { note }),
    ...(result.cost && { calls: result.cost.calls }),
  };
}

function templateTotals(
  spans: TargetExplanation['spans'],
  render: RenderResult,
): Pick<TargetExplanation, 'perVariable' | 'perRange'> | undefined {
  try {
    const onTemplate = explanationOnTemplate(spans, render);
    return {
      perVariable: onTemplate.perVariable.map(({ variable, score }) => ({ name: variable, score })),
      perRange: onTemplate.perRange.map(({ name, score }) => ({ name, score })),
    };
  } catch {
    // A source map the totals cannot follow must not lose the run: the panel shows the rest.
    return undefined;
  }
}
