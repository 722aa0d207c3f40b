/** GET /models_available (spec 9.1) to the core's model list and a fuller Aleph Alpha view. */
import type { ModelInfo } from '../../backend';
import type { ModelsAvailableResponse } from './schemas';

export interface AlephAlphaModel extends ModelInfo {
  hostings: string[];
  imageSupport?: boolean;
  embeddingTypes: string[];
  maximumCompletionTokens?: number | null;
  aligned?: boolean;
}

export function toModels(reply: ModelsAvailableResponse): AlephAlphaModel[] {
  return reply.map((m) => ({
    id: m.name,
    ...(typeof m.description === 'string' ? { description: m.description } : {}),
    ...(typeof m.max_context_size === 'number' ? { maxContextSize: m.max_context_size } : {}),
    hostings: m.hostings ?? [],
    ...(typeof m.image_support === 'boolean' ? { imageSupport: m.image_support } : {}),
    embeddingTypes: m.embedding_types ?? [],
    ...(m.maximum_completion_tokens === undefined
      ? {}
      : { maximumCompletionTokens: m.maximum_completion_tokens }),
    ...(typeof m.aligned === 'boolean' ? { aligned: m.aligned } : {}),
  }));
}
