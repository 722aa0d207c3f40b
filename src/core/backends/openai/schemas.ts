// Wire shapes of OpenAI-compatible servers (OpenAI legacy completions, vLLM, llama.cpp's /v1 API).
// zod objects drop unknown keys, so newer servers with more fields still parse.
import { z } from 'zod';
import { completionIndex, isLogprob, logprob, tokenCount } from '../../wireNumbers';

/**
 * `{token: logprob}` maps. A predicate rather than z.record: same check, several times faster, and a
 * completion with log-probabilities carries one per token.
 */
const logprobMapSchema = z.custom<Record<string, number>>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every(isLogprob),
  { message: 'expected an object of token log-probabilities' },
);

/** Classic OpenAI / vLLM: parallel arrays; with `echo` vLLM starts with the prompt (first logprob null). */
export const classicLogprobsSchema = z.object({
  tokens: z.array(z.string()),
  token_logprobs: z.array(logprob.nullable()),
  top_logprobs: z.array(logprobMapSchema.nullable()).nullable().optional(),
  text_offset: z.array(z.number()).optional(),
});

const llamaTopSchema = z.object({ id: z.number().int().optional(), token: z.string(), logprob });

/** llama.cpp: one entry per generated token, chat-style. */
export const llamaLogprobsSchema = z.object({
  content: z.array(
    z.object({
      id: z.number().int().optional(),
      token: z.string(),
      logprob,
      top_logprobs: z.array(llamaTopSchema).optional(),
    }),
  ),
});

export const logprobsSchema = z.union([classicLogprobsSchema, llamaLogprobsSchema]);

export const choiceSchema = z.object({
  text: z.string(),
  index: completionIndex.optional(),
  logprobs: logprobsSchema.nullable().optional(),
  finish_reason: z.string().nullable().optional(),
});

const usageSchema = z.object({
  prompt_tokens: tokenCount.optional(),
  completion_tokens: tokenCount.optional(),
});

/** llama.cpp extension: how much of the prompt was processed vs served from the cache. */
const timingsSchema = z.object({ prompt_n: tokenCount.optional(), cache_n: tokenCount.optional() });

export const completionSchema = z.object({
  choices: z.array(choiceSchema),
  model: z.string().optional(),
  usage: usageSchema.nullable().optional(),
  timings: timingsSchema.optional(),
});

/** A stream chunk has the completion's shape; a usage-only chunk has no choices. */
export const completionChunkSchema = completionSchema.extend({ choices: z.array(choiceSchema).default([]) });

/** llama.cpp reports a failure after generation began as a last `data: {"error": ...}` event. */
export const streamErrorSchema = z.object({
  error: z.union([z.string(), z.object({ message: z.string() })]),
});

export const modelsSchema = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      owned_by: z.string().optional(),
      /** vLLM */
      max_model_len: z.number().optional(),
      /** llama.cpp */
      meta: z
        .object({ n_ctx: z.number().optional(), n_ctx_train: z.number().optional() })
        .nullable()
        .optional(),
    }),
  ),
});

/** vLLM `POST /tokenize`. */
export const tokenizeSchema = z.object({
  tokens: z.array(z.number().int()),
  token_strs: z.array(z.string()).nullable().optional(),
});

/** vLLM `POST /detokenize`. */
export const detokenizeSchema = z.object({ prompt: z.string() });

export const errorBodySchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string().optional(),
    code: z.union([z.string(), z.number()]).nullable().optional(),
    n_prompt_tokens: z.number().optional(),
    n_ctx: z.number().optional(),
  }),
});

export type CompletionReply = z.infer<typeof completionSchema>;
export type ChoiceReply = z.infer<typeof choiceSchema>;
export type LogprobsReply = z.infer<typeof logprobsSchema>;
