/**
 * Numbers every backend's replies carry, checked the same way: a log-probability is never above 0
 * (beyond float rounding), a probability is within [0, 1], a token count is a whole number >= 0, and
 * a completion index is small. A reply breaking these is broken, not a result to show.
 */
import { z } from 'zod';

/** log(1) computed in float32 can come out a hair above 0. */
const ROUNDING = 1e-4;

/** More completions than any server returns for one request; an index beyond is an error, not an allocation. */
export const MAX_COMPLETION_INDEX = 65_535;

export const logprob = z.number().max(ROUNDING, { message: 'a log-probability above 0' });
export const probability = z
  .number()
  .min(0)
  .max(1 + ROUNDING);
export const tokenCount = z.number().int().nonnegative();
export const completionIndex = z.number().int().nonnegative().max(MAX_COMPLETION_INDEX);

export function isLogprob(value: unknown): value is number {
  return typeof value === 'number' && value <= ROUNDING;
}
