import type { Ctx } from '../ctx';

/** "Prompt Lens: Complete": inserts the completion after the prompt. */
export async function complete(_ctx: Ctx): Promise<void> {
  throw new Error('not implemented yet');
}
