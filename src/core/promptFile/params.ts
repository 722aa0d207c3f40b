// Completion parameters a front matter may set, by their API names, per backend kind.
import { z } from 'zod';
import type { BackendKind } from '../backend';

const int = (min = 0) => z.number().int().min(min);
const float = () => z.number().finite();
const unit = () => z.number().min(0).max(1);
const strings = () => z.array(z.string());
const bool = () => z.boolean();

/** Aleph Alpha `/complete`. */
const alephAlpha: Record<string, z.ZodType> = {
  maximum_tokens: int(1).nullable(),
  minimum_tokens: int(),
  temperature: z.number().min(0),
  top_k: int(),
  top_p: unit(),
  presence_penalty: float(),
  frequency_penalty: float(),
  sequence_penalty: float(),
  sequence_penalty_min_length: int(2),
  repetition_penalties_include_prompt: bool(),
  repetition_penalties_include_completion: bool(),
  use_multiplicative_presence_penalty: bool(),
  use_multiplicative_frequency_penalty: bool(),
  use_multiplicative_sequence_penalty: bool(),
  penalty_bias: z.string(),
  penalty_exceptions: strings(),
  penalty_exceptions_include_stop_sequences: bool(),
  n: int(1),
  best_of: int(1),
  logit_bias: z.record(z.string(), float()),
  log_probs: int(),
  stop_sequences: strings(),
  tokens: bool(),
  raw_completion: bool(),
  disable_optimizations: bool(),
  echo: bool(),
  completion_bias_inclusion: strings(),
  completion_bias_inclusion_first_token_only: bool(),
  completion_bias_exclusion: strings(),
  completion_bias_exclusion_first_token_only: bool(),
  contextual_control_threshold: unit().nullable(),
  control_log_additive: bool(),
  steering_concepts: strings(),
};

/** llama.cpp server `/completion`. */
const llamaCpp: Record<string, z.ZodType> = {
  n_predict: z.number().int().min(-1),
  temperature: z.number().min(0),
  top_k: int(),
  top_p: unit(),
  min_p: unit(),
  typical_p: unit(),
  top_n_sigma: float(),
  xtc_probability: unit(),
  xtc_threshold: unit(),
  stop: strings(),
  seed: z.number().int(),
  repeat_penalty: z.number().min(0),
  repeat_last_n: z.number().int().min(-1),
  presence_penalty: float(),
  frequency_penalty: float(),
  dry_multiplier: z.number().min(0),
  dry_base: z.number().min(0),
  dry_allowed_length: int(),
  dry_penalty_last_n: z.number().int().min(-1),
  mirostat: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  mirostat_tau: float(),
  mirostat_eta: float(),
  n_keep: z.number().int().min(-1),
  n_probs: int(),
  min_keep: int(),
  ignore_eos: bool(),
  cache_prompt: bool(),
  logit_bias: z.union([
    z.array(z.tuple([z.union([z.number().int(), z.string()]), z.union([z.number(), z.literal(false)])])),
    z.record(z.string(), z.number()),
  ]),
  grammar: z.string(),
  json_schema: z.record(z.string(), z.unknown()),
  samplers: strings(),
  t_max_predict_ms: int(),
  id_slot: z.number().int().min(-1),
  return_tokens: bool(),
  post_sampling_probs: bool(),
};

/** OpenAI-compatible `/v1/completions`. */
const openai: Record<string, z.ZodType> = {
  max_tokens: int(1).nullable(),
  temperature: z.number().min(0).max(2),
  top_p: unit(),
  n: int(1),
  best_of: int(1),
  stop: z.union([z.string(), z.array(z.string()).max(4)]),
  seed: z.number().int(),
  presence_penalty: z.number().min(-2).max(2),
  frequency_penalty: z.number().min(-2).max(2),
  logit_bias: z.record(z.string(), z.number().min(-100).max(100)),
  logprobs: z.number().int().min(0).max(5).nullable(),
  echo: bool(),
  suffix: z.string(),
  user: z.string(),
};

export const PARAMS_BY_KIND: Record<BackendKind, Record<string, z.ZodType>> = {
  'aleph-alpha': alephAlpha,
  'llama-cpp': llamaCpp,
  openai,
};

/** The schema of a parameter for a kind; without a kind, the first kind that knows the name. */
export function paramSchema(name: string, kind: BackendKind | undefined): z.ZodType | undefined {
  for (const k of kindsFor(kind)) {
    const table = PARAMS_BY_KIND[k];
    if (Object.hasOwn(table, name)) return table[name];
  }
  return undefined;
}

export function paramNames(kind: BackendKind | undefined): string[] {
  return [...new Set(kindsFor(kind).flatMap((k) => Object.keys(PARAMS_BY_KIND[k])))];
}

/** The given kind, or every kind in the order of PARAMS_BY_KIND. */
function kindsFor(kind: BackendKind | undefined): BackendKind[] {
  return kind ? [kind] : (Object.keys(PARAMS_BY_KIND) as BackendKind[]);
}

/**
 * Parameters that mean the same on different backends, by kind. A name of one backend maps to the
 * name of the same setting on another (e.g. llama.cpp's `n_predict` is Aleph Alpha's `maximum_tokens`).
 */
const EQUIVALENTS: Partial<Record<BackendKind, string>>[] = [
  { 'aleph-alpha': 'maximum_tokens', 'llama-cpp': 'n_predict', openai: 'max_tokens' },
  { 'aleph-alpha': 'stop_sequences', 'llama-cpp': 'stop', openai: 'stop' },
  { 'aleph-alpha': 'log_probs', 'llama-cpp': 'n_probs', openai: 'logprobs' },
  { 'aleph-alpha': 'temperature', 'llama-cpp': 'temperature', openai: 'temperature' },
  { 'aleph-alpha': 'top_k', 'llama-cpp': 'top_k' },
  { 'aleph-alpha': 'top_p', 'llama-cpp': 'top_p', openai: 'top_p' },
  { 'llama-cpp': 'seed', openai: 'seed' },
  { 'aleph-alpha': 'presence_penalty', 'llama-cpp': 'presence_penalty', openai: 'presence_penalty' },
  { 'aleph-alpha': 'frequency_penalty', 'llama-cpp': 'frequency_penalty', openai: 'frequency_penalty' },
  { 'aleph-alpha': 'logit_bias', 'llama-cpp': 'logit_bias', openai: 'logit_bias' },
  { 'aleph-alpha': 'n', openai: 'n' },
  { 'aleph-alpha': 'best_of', openai: 'best_of' },
  { 'aleph-alpha': 'echo', openai: 'echo' },
];

/** How an unknown-parameter diagnostic names the equivalent (the editor's quick fix reads it back). */
export const EQUIVALENT_PHRASE = 'its equivalent there is';

/** The name of the same setting on `kind`'s backend, if it has one (and `name` is another backend's). */
export function equivalentParam(name: string, kind: BackendKind): string | undefined {
  for (const group of EQUIVALENTS) {
    const target = group[kind];
    if (target === undefined || target === name) continue;
    if (Object.values(group).includes(name)) return target;
  }
  return undefined;
}
