import type { Ctx } from '../ctx';

/** "Prompt Lens: Evaluate Expected Completion". */
export async function evaluate(_ctx: Ctx): Promise<void> {
  throw new Error('not implemented yet');
}
