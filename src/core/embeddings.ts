/**
 * Text embeddings on every backend, one call shape: Aleph Alpha `/batch_semantic_embed` (symmetric
 * unless asked otherwise), llama.cpp `/embedding`, OpenAI-compatible `/v1/embeddings`.
 */
import type { Backend, CallOptions } from './backend';
import type { AlephAlphaBackend, Representation } from './backends/alephAlpha';
import { UnsupportedError } from './errors';

export interface TextEmbedRequest extends CallOptions {
  texts: string[];
  model?: string;
  /** Aleph Alpha only (default symmetric: comparing like with like). */
  representation?: Representation;
  /** Aleph Alpha only: 128-float vectors. */
  compressToSize?: 128;
}

export interface TextEmbedResult {
  embeddings: number[][];
  /** Prompt tokens the server reports having embedded, where it says. */
  promptTokens?: number;
  /** HTTP requests made. */
  calls: number;
}

/** What llama.cpp and OpenAI-compatible backends implement (see their embeddings.ts). */
export interface TextEmbedder {
  embedTexts(request: TextEmbedRequest): Promise<TextEmbedResult>;
}

export function canEmbedTexts(backend: Backend): backend is Backend & TextEmbedder {
  return typeof (backend as Partial<TextEmbedder>).embedTexts === 'function';
}

export async function embedTexts(backend: Backend, request: TextEmbedRequest): Promise<TextEmbedResult> {
  if (request.texts.length === 0) return { embeddings: [], calls: 0 };
  if (backend.kind === 'aleph-alpha') {
    const aleph = backend as unknown as AlephAlphaBackend;
    const result = await aleph.batchSemanticEmbed({
      prompts: request.texts,
      representation: request.representation ?? 'symmetric',
      ...(request.model === undefined ? {} : { model: request.model }),
      ...(request.compressToSize === undefined ? {} : { compressToSize: request.compressToSize }),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    return {
      embeddings: result.embeddings,
      promptTokens: result.promptTokens,
      calls: Math.ceil(request.texts.length / 100),
    };
  }
  if (canEmbedTexts(backend)) return backend.embedTexts(request);
  throw new UnsupportedError(`The ${backend.kind} backend cannot compute embeddings.`);
}

/** Cosine similarity in [-1, 1]; 0 when either vector is all zeros. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length)
    throw new UnsupportedError(
      `Embeddings of different sizes (${a.length} and ${b.length}) cannot be compared.`,
    );
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
