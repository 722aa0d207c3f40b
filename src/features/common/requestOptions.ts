// Request options the editor's settings give: every surface of the extension sends the same.
import type { ExplainRequest, Granularity } from '../../core/backend';
import type { CompletionDefaults } from '../../core/useCases/index';
import { config } from '../../config';

const GRANULARITIES = new Set(['auto', 'token', 'word', 'sentence', 'paragraph']);

/** Granularity, postprocessing and normalization from the settings; per-token targets for stepping. */
export function explainOptions(): Pick<
  ExplainRequest,
  'granularity' | 'targetGranularity' | 'postprocessing' | 'normalize'
> {
  const type = config.explainGranularity();
  const granularity = (GRANULARITIES.has(type) ? { type } : { type: 'auto' }) as Granularity;
  return {
    granularity,
    targetGranularity: 'token',
    postprocessing: config.explainPostprocessing(),
    normalize: config.explainNormalize(),
  };
}

/** The `promptLens.completion.*` settings. */
export function completionDefaults(): CompletionDefaults {
  return { maxTokens: config.maxTokens(), temperature: config.temperature(), logProbs: config.topLogProbs() };
}
