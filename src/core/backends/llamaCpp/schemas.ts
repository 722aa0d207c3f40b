/**
 * zod schemas of the llama.cpp server replies, current (2025+) and old (before `slot_id` became
 * `id_slot`, e.g. b2356, March 2024). Unknown fields are ignored; fields only one generation sends are
 * optional, so one schema reads both and the code decides per response.
 */
import { z } from 'zod';
import { completionIndex, logprob, probability, tokenCount } from '../../wireNumbers';

const topLogprob = z.object({ id: z.number(), token: z.string(), logprob });
const topProb = z.object({ id: z.number(), token: z.string(), prob: probability });

/** Current server, `n_probs` > 0: log-softmax of the raw logits over the full vocabulary. */
export const logprobEntrySchema = z.object({
  id: z.number(),
  token: z.string(),
  logprob,
  top_logprobs: z.array(topLogprob),
});
/** Current server with `post_sampling_probs: true`: linear, after the sampler chain. */
export const postProbEntrySchema = z.object({
  id: z.number(),
  token: z.string(),
  prob: probability,
  top_probs: z.array(topProb),
});
/** Old server: linear probabilities of the top candidates, no ids. */
export const legacyProbEntrySchema = z.object({
  content: z.string(),
  probs: z.array(z.object({ tok_str: z.string(), prob: probability })),
});

export const probEntrySchema = z.union([logprobEntrySchema, postProbEntrySchema, legacyProbEntrySchema]);
export type ProbEntry = z.infer<typeof probEntrySchema>;

const timingsSchema = z.object({
  cache_n: tokenCount.optional(),
  prompt_n: tokenCount.optional(),
  predicted_n: tokenCount.optional(),
});

export const completionSchema = z.object({
  index: completionIndex.optional(),
  content: z.string(),
  tokens: z.array(z.number()).optional(),
  /** Current servers. */
  id_slot: z.number().optional(),
  /** Old servers. */
  slot_id: z.number().optional(),
  stop: z.boolean().optional(),
  stop_type: z.string().optional(),
  stopped_eos: z.boolean().optional(),
  stopped_limit: z.boolean().optional(),
  stopped_word: z.boolean().optional(),
  stopping_word: z.string().optional(),
  model: z.string().optional(),
  /** Detokenized (current) or the request's prompt verbatim (old). */
  prompt: z.unknown().optional(),
  tokens_predicted: tokenCount.optional(),
  tokens_evaluated: tokenCount.optional(),
  tokens_cached: tokenCount.optional(),
  truncated: z.boolean().optional(),
  timings: timingsSchema.optional(),
  completion_probabilities: z.array(probEntrySchema).optional(),
});
export type CompletionBody = z.infer<typeof completionSchema>;

/** One prompt: an object; several: an array (current) or `{results}` in completion order (old). */
export const completionReplySchema = z.union([
  completionSchema,
  z.array(completionSchema),
  z.object({ results: z.array(completionSchema) }),
]);
export type CompletionReply = z.infer<typeof completionReplySchema>;

/** A `data:` event of a stream: a chunk, or (current servers, after generation began) an error. */
export const streamErrorSchema = z.object({
  error: z.object({ code: z.number().optional(), message: z.string(), type: z.string().optional() }),
});
/** Stream chunks lack most final fields; `content` is always there. */
export const streamChunkSchema = completionSchema;
/** An old server's mid-stream `error: {...}` line. */
export const legacyStreamErrorSchema = z.object({ content: z.string() });

export const errorBodySchema = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string(),
    type: z.string().optional(),
    n_prompt_tokens: z.number().optional(),
    n_ctx: z.number().optional(),
  }),
});

export const tokenizeSchema = z.object({
  tokens: z.array(
    z.union([z.number(), z.object({ id: z.number(), piece: z.union([z.string(), z.array(z.number())]) })]),
  ),
});

export const detokenizeSchema = z.object({ content: z.string() });

/** Kept loose: an old server is recognized by its exact key set. */
export const propsSchema = z
  .object({
    default_generation_settings: z.object({ n_ctx: z.number().optional() }).optional(),
    total_slots: z.number().optional(),
    build_info: z.string().optional(),
    model_path: z.string().optional(),
  })
  .loose();
export type PropsReply = z.infer<typeof propsSchema>;

export const healthSchema = z.object({
  status: z.string(),
  slots_idle: z.number().optional(),
  slots_processing: z.number().optional(),
});

export const modelsSchema = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      meta: z
        .object({
          n_vocab: z.number().optional(),
          n_ctx: z.number().optional(),
          n_ctx_train: z.number().optional(),
        })
        .optional(),
    }),
  ),
});
