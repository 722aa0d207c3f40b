/**
 * llama.cpp's own `/embedding` endpoint (server README, "POST /embedding"): `{content}` in; current
 * servers answer `[{index, embedding: number[][]}]` (one row per token with `--pooling none`, else one
 * pooled, normalised row), 2024 servers `{embedding: number[]}`. A server started without
 * `--embeddings` answers 501 `not_supported_error`.
 */
import { z } from 'zod';
import { UnsupportedError } from '../../errors';

const row = z.array(z.number());

export const embeddingReplySchema = z.union([
  z.array(z.object({ index: z.number().optional(), embedding: z.union([z.array(row), row]) })),
  z.object({ embedding: row }),
]);

export type EmbeddingReply = z.infer<typeof embeddingReplySchema>;

/** The single vector of a reply; per-token rows (pooling none) are mean-pooled here. */
export function vectorOf(reply: EmbeddingReply): number[] {
  const first = Array.isArray(reply) ? reply[0]?.embedding : reply.embedding;
  if (!first || first.length === 0) throw noEmbeddings();
  if (typeof first[0] === 'number') return first as number[];
  const rows = first as number[][];
  const width = rows[0]?.length ?? 0;
  if (width === 0) throw noEmbeddings();
  return Array.from({ length: width }, (_, d) => rows.reduce((sum, r) => sum + (r[d] ?? 0), 0) / rows.length);
}

export function noEmbeddings(detail?: string): UnsupportedError {
  return new UnsupportedError(
    `This llama.cpp server gives no embeddings${detail ? ` (${detail})` : ''}. Start llama-server with --embeddings (and a model that has them), or use another backend for \`similar\`.`,
  );
}
