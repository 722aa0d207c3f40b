/**
 * zod schemas of Aleph Alpha's replies (spec sections 2.2-9). Unknown keys are ignored; unknown
 * item types are kept as opaque data rather than rejected.
 */
import { z } from 'zod';
import { completionIndex, logprob, tokenCount } from '../../wireNumbers';

const logProbMap = z.record(z.string(), logprob.nullable());

/** A prompt item in a reply (`optimized_prompt`): known shapes, or any other `type` kept as is. */
const knownResponseItem = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), data: z.string(), add_prefix_space: z.boolean().optional() }),
  z.object({ type: z.literal('image'), data: z.string() }),
  z.object({ type: z.literal('token_ids'), data: z.array(z.number()) }),
]);
/** An object of a `type` not listed (a known type with a bad shape stays an error). */
function opaque(known: readonly string[]) {
  return z
    .looseObject({ type: z.string().refine((type) => !known.includes(type)) })
    .transform((raw) => ({ type: 'opaque' as const, raw }));
}
export const responsePromptItem = z.union([knownResponseItem, opaque(['text', 'image', 'token_ids'])]);
export type ResponsePromptItem = z.infer<typeof responsePromptItem>;

export const completion = z.object({
  index: completionIndex.optional(),
  completion: z.string(),
  raw_completion: z.string().optional(),
  completion_tokens: z.array(z.string()).optional(),
  log_probs: z.array(logProbMap).optional(),
  finish_reason: z.string().optional(),
});
export type WireCompletion = z.infer<typeof completion>;

export const completeResponse = z.object({
  model_version: z.string().optional(),
  completions: z.array(completion),
  num_tokens_prompt_total: tokenCount.optional(),
  num_tokens_generated: tokenCount.optional(),
  optimized_prompt: z.array(responsePromptItem).optional(),
});
export type CompleteResponse = z.infer<typeof completeResponse>;

export const streamChunk = z.object({
  type: z.literal('stream_chunk'),
  index: completionIndex,
  completion: z.string(),
  raw_completion: z.string().optional(),
  log_probs: z.array(logProbMap).optional(),
  completion_tokens: z.array(z.string()).optional(),
});
export const streamSummary = z.object({
  type: z.literal('stream_summary'),
  index: completionIndex,
  model_version: z.string().optional(),
  finish_reason: z.string().optional(),
});
export const completionSummary = z.object({
  type: z.literal('completion_summary'),
  num_tokens_prompt_total: tokenCount.optional(),
  num_tokens_generated: tokenCount.optional(),
  optimized_prompt: z.array(responsePromptItem).optional(),
});
/** Any stream event: the known types, an error object, or an unknown type (opaque, ignored by the caller). */
export const streamEvent = z.union([
  streamChunk,
  streamSummary,
  completionSummary,
  z
    .object({ error: z.string(), code: z.string().optional() })
    .transform((e) => ({ type: 'error' as const, ...e })),
  opaque(['stream_chunk', 'stream_summary', 'completion_summary']),
]);

const nullableNumber = z.number().nullable().optional();
export const evaluateResponse = z.object({
  model_version: z.string().optional(),
  num_tokens_prompt_total: tokenCount.optional(),
  result: z.looseObject({
    log_probability: logprob.nullable().optional(),
    log_perplexity: nullableNumber,
    log_perplexity_per_token: nullableNumber,
    log_perplexity_per_character: nullableNumber,
    correct_greedy: z.boolean().nullable().optional(),
    token_count: z.number().int().nullable().optional(),
    character_count: z.number().int().nullable().optional(),
    completion: z.string().nullable().optional(),
  }),
});
export type EvaluateResponse = z.infer<typeof evaluateResponse>;

const span = z.object({ start: z.number().int(), length: z.number().int(), score: z.number() });
const rect = z.object({ left: z.number(), top: z.number(), width: z.number(), height: z.number() });
const knownExplanationItem = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), scores: z.array(span) }),
  z.object({ type: z.literal('target'), scores: z.array(span) }),
  z.object({ type: z.literal('token_ids'), scores: z.array(z.number()) }),
  z.object({ type: z.literal('image'), scores: z.array(z.object({ rect, score: z.number() })) }),
]);
export const explanationItem = z.union([
  knownExplanationItem,
  opaque(['text', 'target', 'token_ids', 'image']),
]);
export type WireExplanationItem = z.infer<typeof explanationItem>;

export const explainResponse = z.object({
  model_version: z.string().optional(),
  explanations: z.array(z.object({ target: z.string(), items: z.array(explanationItem) })),
});
export type ExplainResponse = z.infer<typeof explainResponse>;

export const tokenizeResponse = z.object({
  tokens: z.array(z.string()).nullable().optional(),
  token_ids: z.array(z.number().int()).nullable().optional(),
});

export const detokenizeResponse = z.object({ result: z.string() });

export const embedResponse = z.object({
  model_version: z.string().optional(),
  embeddings: z.record(z.string(), z.record(z.string(), z.array(z.number()))),
  tokens: z.array(z.string()).nullable().optional(),
  num_tokens_prompt_total: tokenCount.optional(),
});

export const semanticEmbedResponse = z.object({
  model_version: z.string().optional(),
  embedding: z.array(z.number()),
  num_tokens_prompt_total: tokenCount.optional(),
});

export const batchSemanticEmbedResponse = z.object({
  model_version: z.string().optional(),
  embeddings: z.array(z.array(z.number())),
  num_tokens_prompt_total: tokenCount.optional(),
});

export const modelsAvailableResponse = z.array(
  z.object({
    name: z.string(),
    description: z.string().nullable().optional(),
    max_context_size: z.number().int().nullable().optional(),
    hostings: z.array(z.string()).nullable().optional(),
    image_support: z.boolean().nullable().optional(),
    qa_support: z.boolean().nullable().optional(),
    summarization_support: z.boolean().nullable().optional(),
    embedding_types: z.array(z.string()).nullable().optional(),
    maximum_completion_tokens: z.number().int().nullable().optional(),
    aligned: z.boolean().nullable().optional(),
  }),
);
export type ModelsAvailableResponse = z.infer<typeof modelsAvailableResponse>;

/** The `{error, code}` body of a failed request (spec 13.1). */
export const errorBody = z.object({ error: z.string(), code: z.string().optional() });
