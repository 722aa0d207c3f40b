import { promptText } from '../../core/backend';
import type { CliIo } from '../io';
import { resolveInvocation, withBackend } from '../invocation';
import { parseCliOptions } from '../options';

/** `promptlens tokenize`: the prompt's tokens as the server's tokenizer sees them. */
export async function tokenizeCommand(argv: string[], io: CliIo): Promise<number> {
  const options = parseCliOptions(argv);
  const invocation = await resolveInvocation(options, io, true);
  const text = promptText(invocation.prompt);
  const tokens = await withBackend(invocation, options, io, (backend) =>
    backend.tokenize({ text, ...(invocation.model === undefined ? {} : { model: invocation.model }) }),
  );
  if (options.json)
    io.stdout(JSON.stringify({ tokens: tokens.map((token) => ({ id: token.id, text: token.text })) }));
  else
    io.stdout(
      tokens.map((token) => `${String(token.id).padStart(8)}  ${JSON.stringify(token.text)}`).join('\n'),
    );
  return 0;
}
