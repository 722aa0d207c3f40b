import type { Ctx } from '../../ctx';
import { registerCodeLens } from './codeLens';
import { registerDiagnostics } from './diagnostics';
import { registerParamQuickFix } from './paramQuickFix';
import { serverStatus } from '../profiles/index';
import { tokenCounter } from '../tokens/index';
import { registerTestsCodeLens } from '../testing/index';
import { registerVariableHover } from './variableHover';

/**
 * Called once, when the first `.prompt` document is seen: CodeLens, diagnostics as you type, the
 * status bar's server and token count, and the variable hover.
 */
export function activatePromptFileSupport(ctx: Ctx): void {
  registerDiagnostics(ctx);
  registerParamQuickFix(ctx);
  ctx.service(tokenCounter);
  ctx.service(serverStatus);
  registerCodeLens(ctx);
  registerVariableHover(ctx);
  registerTestsCodeLens(ctx);
}
