// Runs the panel's actions through the use-case layer and turns each result into a history `Run`.
import * as vscode from 'vscode';
import { describeScoringCost } from '../../core/scoringCost';
import type { Backend, CompletionRequest, ExplainRequest } from '../../core/backend';
import { kindOf, PromptLensError } from '../../core/errors';
import { CompletionChoices } from '../completion/index';
import type { Profile } from '../../core/profile';
import type { RenderResult } from '../../core/promptFile/index';
import {
  completionDeltas,
  completionRequest,
  evaluationMetrics,
  explanationReport,
  planExplain,
  resolvePrompt,
  resolveTarget,
  runExplain,
  type ResolvedPrompt,
} from '../../core/useCases/index';
import { config } from '../../config';
import type { Ctx } from '../../ctx';
import type { Run, TokenLogProbView, WebviewMessage } from '../../webview/protocol';
import { backendRegistry } from '../common/backends';
import { fileNameOf, isPromptFile, renderTemplate } from '../common/promptSource';
import { completionDefaults, explainOptions } from '../common/requestOptions';

/** Images larger than this (base64 characters) are shown for the run but not kept in the history. */
const MAX_KEPT_IMAGE = 300_000;

export interface RunProgress {
  text?: string;
  done?: number;
  total?: number;
}

interface Prepared {
  backend: Backend;
  profile: Profile;
  model: string | undefined;
  resolved: ResolvedPrompt;
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
  const { backend, model, resolved } = prepared;
  const { render, settings, prompt } = resolved;
  const base: Run = {
    id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    time: Date.now(),
    action: request.action,
    fileName: fileNameOf(document),
    profile: prepared.profile.name,
    ...(model !== undefined && { model }),
    promptText: resolved.text,
    images: imagesOf(render),
    params: settings?.params ?? {},
    vars: request.vars,
  };
  const modelPart = model !== undefined ? { model } : {};
  switch (request.action) {
    case 'complete': {
      const completion = completionRequest(prompt, model, settings, completionDefaults(), signal);
      return { ...base, completion: await completeStreaming(ctx, prepared, completion, onProgress) };
    }
    case 'evaluate': {
      const expected = resolveTarget('evaluate', request.expected, settings);
      if (!expected)
        throw new PromptLensError(
          'bad-request',
          'Evaluate needs an expected completion: type one in the panel or set `expected:` in the front matter.',
        );
      const result = await backend.evaluate({ prompt, expected, ...modelPart, signal });
      return {
        ...base,
        evaluation: {
          expected,
          metrics: evaluationMetrics(result),
          tokens: result.tokens.map(({ text, logprob }) => ({ text, logprob })),
          ...(result.cost && { scoring: describeScoringCost(result.cost) ?? '' }),
        },
      };
    }
    case 'explain': {
      const target = resolveTarget('explain', request.target, settings);
      if (!target)
        throw new PromptLensError(
          'bad-request',
          'Explain needs a target: type one in the panel or set `target:` in the front matter.',
        );
      const explainRequest: ExplainRequest = { prompt, target, ...modelPart, ...explainOptions(), signal };
      const planned = await planExplain(backend, explainRequest);
      if (planned.plan.calls > config.explainCostThreshold()) {
        const go = await vscode.window.showWarningMessage(
          `Prompt Lens: this explanation needs ${planned.plan.calls} scoring calls (${planned.plan.segments} segments). Run it?`,
          { modal: true },
          'Explain',
        );
        if (go !== 'Explain')
          return { ...base, error: { kind: 'cancelled', message: 'The explanation was not run.' } };
      }
      const result = await runExplain(backend, planned, {
        signal,
        onProgress: (done: number, total: number) => onProgress({ done, total }),
      });
      const explanation = explanationReport(result, resolved, target);
      if (explanation.note) ctx.log.info(`panel: ${explanation.note}`);
      return { ...base, explanation };
    }
    case 'tokenize': {
      const tokens = await backend.tokenize({ text: resolved.text, ...modelPart, signal });
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
    // A command's run (Complete) offers "Go to line" in this file when its `backend:` chose the profile.
    const run = ctx.runs.current;
    if (run) run.promptDocument = document.uri.toString();
    // The file's settings pick the profile and model unless the panel picked them.
    const render = await renderTemplate(ctx, document, request.vars, request.profile || undefined);
    const connection = await registry.connect(
      request.profile || render.settings.backend,
      request.model || render.settings.model,
    );
    const resolved = resolvePrompt({ kind: 'template', name: fileNameOf(document), render });
    return { backend: connection.backend, profile: connection.profile, model: connection.model, resolved };
  }
  const connection = await registry.connect(request.profile || undefined, request.model || undefined);
  const text = document.getText();
  if (!text.trim())
    throw new PromptLensError('bad-request', `${fileNameOf(document)} is empty: there is no prompt to send.`);
  const resolved = resolvePrompt({ kind: 'document', text });
  return { backend: connection.backend, profile: connection.profile, model: connection.model, resolved };
}

async function completeStreaming(
  ctx: Ctx,
  prepared: Prepared,
  request: CompletionRequest,
  onProgress: (progress: RunProgress) => void,
): Promise<NonNullable<Run['completion']>> {
  const { backend } = prepared;
  // A server that could not say what it can do is asked without streaming; one that did not answer
  // (or a Cancel) ends the run: the completion would wait on it far longer.
  const capabilities = await ctx
    .service(backendRegistry)
    .capabilities(prepared.profile, backend, request.signal)
    .catch((error: unknown) => {
      if (['cancelled', 'timeout', 'connection'].includes(kindOf(error) ?? '')) throw error;
      return undefined;
    });
  const canStream = capabilities?.stream ?? false;
  let text = '';
  let finishReason = 'unknown';
  const tokens: TokenLogProbView[] = [];
  // With `n` > 1 the others are kept too (text and finish reason, up to the editor's cap): the
  // server was paid for them.
  const others = new CompletionChoices();
  for await (const delta of completionDeltas(backend, canStream, request)) {
    if (delta.index !== 0) {
      others.add(delta);
      continue;
    }
    text += delta.text;
    tokens.push(...delta.tokens.map(tokenView));
    if (delta.finishReason) finishReason = delta.finishReason;
    if (canStream) onProgress({ text });
  }
  // Numbered by their index in the reply; an empty one is kept, so the numbers match the server's.
  const rest = others
    .all()
    .filter((other) => other.index !== 0)
    .map((other) => ({
      index: other.index,
      text: other.placer.completionText,
      finishReason: other.finishReason ?? 'unknown',
    }));
  return { text, finishReason, tokens, ...(rest.length > 0 && { others: rest }) };
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

function imagesOf(render: RenderResult | undefined): Run['images'] {
  if (!render) return [];
  return render.items.flatMap((item, index) => {
    if (item.type !== 'image') return [];
    const at = render.itemStarts[index] ?? 0;
    const mime = item.data.startsWith('/9j/') ? 'image/jpeg' : 'image/png';
    return [item.data.length <= MAX_KEPT_IMAGE ? { at, src: `data:${mime};base64,${item.data}` } : { at }];
  });
}
