import type { Ctx } from '../ctx';

/** "Prompt Lens: Show Tokens": token boundaries as alternating backgrounds, ids on hover. */
export async function showTokens(_ctx: Ctx): Promise<void> {
  throw new Error('not implemented yet');
}
export async function hideTokens(_ctx: Ctx): Promise<void> {}
