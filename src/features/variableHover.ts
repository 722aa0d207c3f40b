import type { Ctx } from '../ctx';

/** In `.prompt` files, hovering `{{ var }}` shows the value it rendered to. */
export function registerVariableHover(_ctx: Ctx): void {}
