/** OpenAI-compatible `/v1/embeddings`: `{model, input: string[]}` in, `{data: [{index, embedding}], usage}` out. */
import { z } from 'zod';

export const embeddingsReplySchema = z.object({
  data: z.array(z.object({ index: z.number(), embedding: z.array(z.number()) })),
  model: z.string().optional(),
  usage: z.object({ prompt_tokens: z.number().optional() }).optional(),
});

export type EmbeddingsReply = z.infer<typeof embeddingsReplySchema>;

/** Vectors in the order of the inputs (servers may answer out of order; `index` says where each goes). */
export function orderedVectors(reply: EmbeddingsReply, count: number): number[][] | undefined {
  const vectors = new Array<number[] | undefined>(count).fill(undefined);
  for (const item of reply.data)
    if (item.index >= 0 && item.index < count) vectors[item.index] = item.embedding;
  return vectors.every((v) => v !== undefined && v.length > 0) ? (vectors as number[][]) : undefined;
}
