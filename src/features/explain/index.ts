import type { Ctx } from '../../ctx';

/** "Prompt Lens: Explain Target". */
export async function explainTarget(_ctx: Ctx): Promise<void> {
  throw new Error('not implemented yet');
}
export async function nextTargetToken(_ctx: Ctx): Promise<void> {}
export async function previousTargetToken(_ctx: Ctx): Promise<void> {}
export async function clearExplanation(_ctx: Ctx): Promise<void> {}
