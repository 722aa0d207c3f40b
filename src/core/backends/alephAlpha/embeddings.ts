/** Embedding endpoints (spec section 8): request types, bodies and batching. */
import type { CallOptions, Prompt } from '../../backend';
import { toWirePrompt } from './prompt';

export type Pooling = 'mean' | 'max' | 'last_token' | 'abs_max' | 'weighted_mean';
export type Representation = 'symmetric' | 'document' | 'query';

interface ControlKnobs {
  contextualControlThreshold?: number;
  controlLogAdditive?: boolean;
}

export interface EmbedRequest extends CallOptions, ControlKnobs {
  prompt: Prompt;
  model?: string;
  /** 0 is the input embeddings; negative indices count from the last layer. */
  layers: number[];
  pooling: Pooling[];
  tokens?: boolean;
  normalize?: boolean;
}

export interface EmbedResult {
  /** `layer_<absolute index>` -> pooling -> vector, as the server names them. */
  embeddings: Record<string, Record<string, number[]>>;
  tokens?: string[];
  promptTokens?: number;
  modelVersion?: string;
}

export interface SemanticEmbedRequest extends CallOptions, ControlKnobs {
  prompt: Prompt;
  model?: string;
  representation: Representation;
  compressToSize?: 128;
  normalize?: boolean;
}

export interface SemanticEmbedResult {
  embedding: number[];
  promptTokens?: number;
  modelVersion?: string;
}

export interface BatchSemanticEmbedRequest extends Omit<SemanticEmbedRequest, 'prompt'> {
  prompts: Prompt[];
  /** Prompts per request, 1..100 (the server's limit; default 100). */
  batchSize?: number;
  /** Requests running at once (default 2). */
  concurrency?: number;
}

export interface BatchSemanticEmbedResult {
  embeddings: number[][];
  promptTokens: number;
  modelVersion?: string;
}

export const MAX_BATCH_SIZE = 100;
export const DEFAULT_BATCH_CONCURRENCY = 2;

function knobs(request: ControlKnobs): Record<string, unknown> {
  return {
    ...(request.contextualControlThreshold === undefined
      ? {}
      : { contextual_control_threshold: request.contextualControlThreshold }),
    ...(request.controlLogAdditive === undefined ? {} : { control_log_additive: request.controlLogAdditive }),
  };
}

export function embedBody(request: EmbedRequest, model: string): Record<string, unknown> {
  return {
    model,
    prompt: toWirePrompt(request.prompt),
    layers: request.layers,
    pooling: request.pooling,
    ...(request.tokens === undefined ? {} : { tokens: request.tokens }),
    ...(request.normalize === undefined ? {} : { normalize: request.normalize }),
    ...knobs(request),
  };
}

function semanticFields(request: Omit<SemanticEmbedRequest, 'prompt'>): Record<string, unknown> {
  return {
    representation: request.representation,
    ...(request.compressToSize === undefined ? {} : { compress_to_size: request.compressToSize }),
    ...(request.normalize === undefined ? {} : { normalize: request.normalize }),
    ...knobs(request),
  };
}

export function semanticEmbedBody(request: SemanticEmbedRequest, model: string): Record<string, unknown> {
  return { model, prompt: toWirePrompt(request.prompt), ...semanticFields(request) };
}

export function batchSemanticEmbedBody(
  request: BatchSemanticEmbedRequest,
  prompts: Prompt[],
  model: string,
): Record<string, unknown> {
  return { model, prompts: prompts.map(toWirePrompt), ...semanticFields(request) };
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
