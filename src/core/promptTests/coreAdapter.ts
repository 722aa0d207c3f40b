// PromptTestBackend over today's core: renderPromptFile, Backend.complete/evaluate/tokenize, the
// backend's optional batch scoring (`evaluateBatch`) and slots, explain (native or occlusion) and embedTexts.
import { type Backend, type CompletionRequest, type EvaluateResult, type Usage } from '../backend';
import { embedTexts } from '../embeddings';
import { PromptLensError } from '../errors';
import { hasBatchScoring } from '../explain/schedule';
import { renderPromptFile } from '../promptFile';
import type { TemplateFiles } from '../files/policy';
import { planExplain, runExplain } from '../useCases/index';
import type { NamedRegion } from './attribution';
import type { PromptTestBackend, RenderedCase } from './testBackend';
import type { RunCost } from './types';

export interface CoreAdapterOptions {
  /** Used unless the front matter's params set them. */
  maxTokens?: number;
  temperature?: number;
  /** Alternatives kept per generated token (shown when a text assertion fails). */
  topLogProbs?: number;
  /** Prompts per batched scoring request (llama.cpp). */
  scoreBatchSize?: number;
  /** The file policy images and includes are read through (default: the prompt file's folder). */
  files?: TemplateFiles;
  /** Model from the command line or profile; the front matter's `model` wins when set. */
  model?: string;
}

const DEFAULT_BATCH = 64;

export function coreTestBackend(backend: Backend, options: CoreAdapterOptions = {}): PromptTestBackend {
  const batch = hasBatchScoring(backend);
  const modelOf = (rendered: RenderedCase) => rendered.model ?? options.model;
  return {
    kind: backend.kind,
    scoreBatchSize: batch ? (options.scoreBatchSize ?? DEFAULT_BATCH) : 1,

    async parallelism(signal) {
      if (!backend.scoringSlots) return 2;
      return backend.scoringSlots(signal ? { signal } : {});
    },

    async render(source, file, vars) {
      const rendered = await renderPromptFile(source, {
        path: file,
        vars,
        backendKind: backend.kind,
        ...(options.files ? { files: options.files } : {}),
      });
      const problem = rendered.diagnostics.find((d) => d.severity === 'error');
      if (problem)
        throw new PromptLensError(
          'template',
          `${file}:${problem.line + 1}:${problem.column + 1}: ${problem.message}`,
        );
      const regions: NamedRegion[] = rendered.ranges.map((r) => ({
        name: r.name,
        start: r.start,
        length: r.length,
      }));
      for (const entry of rendered.map)
        if (entry.variable !== undefined && entry.kind === 'output' && entry.renderedLength > 0)
          regions.push({ name: entry.variable, start: entry.renderedStart, length: entry.renderedLength });
      return {
        prompt: rendered.prompt,
        text: rendered.text,
        itemStarts: rendered.itemStarts,
        params: rendered.settings.params,
        ...(rendered.settings.model === undefined ? {} : { model: rendered.settings.model }),
        regions,
      };
    },

    async complete(rendered, signal) {
      const model = modelOf(rendered);
      const request: CompletionRequest = {
        prompt: rendered.prompt,
        maxTokens: options.maxTokens ?? 64,
        temperature: options.temperature ?? 0,
        logProbs: options.topLogProbs ?? 5,
        params: rendered.params,
        ...(model === undefined ? {} : { model }),
        ...(signal ? { signal } : {}),
      };
      const result = await backend.complete(request);
      const completion = result.completions[0];
      return {
        text: completion?.text ?? '',
        alternatives: (completion?.tokens[0]?.top ?? []).map((t) => ({ text: t.text, logprob: t.logprob })),
        cost: { calls: 1, promptTokensProcessed: processed(result.usage) },
      };
    },

    async scoreMany(rendered, text, signal) {
      const model = rendered[0] ? modelOf(rendered[0]) : options.model;
      if (hasBatchScoring(backend) && rendered.length > 1) {
        const results = await backend.evaluateBatch(
          rendered.map((r) => r.prompt),
          text,
          signal ? { signal } : {},
        );
        return {
          results,
          cost: { calls: new Set(results.map((r) => r.request)).size, promptTokensProcessed: sum(results) },
        };
      }
      const results: EvaluateResult[] = [];
      for (const r of rendered)
        results.push(
          await backend.evaluate({
            prompt: r.prompt,
            expected: text,
            ...(model === undefined ? {} : { model }),
            ...(signal ? { signal } : {}),
          }),
        );
      return { results, cost: { calls: results.length, promptTokensProcessed: sum(results) } };
    },

    async explain(rendered, target, signal) {
      const model = modelOf(rendered);
      // Through the use-case layer: planned once, run from its plan.
      const planned = await planExplain(backend, {
        prompt: rendered.prompt,
        target,
        ...(model === undefined ? {} : { model }),
        ...(signal ? { signal } : {}),
      });
      const result = await runExplain(backend, planned);
      const cost: RunCost = result.cost ?? { calls: 1, promptTokensProcessed: 0 };
      return { result, cost };
    },

    async embed(texts, signal) {
      const result = await embedTexts(backend, {
        texts,
        ...(options.model === undefined ? {} : { model: options.model }),
        ...(signal ? { signal } : {}),
      });
      return {
        embeddings: result.embeddings,
        cost: { calls: result.calls, promptTokensProcessed: result.promptTokens ?? 0 },
      };
    },

    async countTokens(text, signal) {
      if (text === '') return 0;
      const tokens = await backend.tokenize({
        text,
        ...(options.model === undefined ? {} : { model: options.model }),
        ...(signal ? { signal } : {}),
      });
      return tokens.length;
    },

    async explainCalls(rendered, target, signal) {
      const { plan } = await planExplain(backend, {
        prompt: rendered.prompt,
        target,
        ...(signal ? { signal } : {}),
      });
      return plan.calls;
    },
  };
}

function processed(usage: Usage | undefined): number {
  return usage?.promptTokensProcessed ?? usage?.promptTokens ?? 0;
}

function sum(results: readonly EvaluateResult[]): number {
  return results.reduce((total, r) => total + processed(r.usage), 0);
}
