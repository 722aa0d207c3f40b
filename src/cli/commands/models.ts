import type { CliIo } from '../io';
import { resolveInvocation, withBackend } from '../invocation';
import { parseCliOptions } from '../options';

/** `promptlens models`: the models the server offers. */
export async function modelsCommand(argv: string[], io: CliIo): Promise<number> {
  const options = parseCliOptions(argv);
  const invocation = await resolveInvocation(options, io, false);
  const models = await withBackend(invocation, options, io, (backend) => backend.models());
  if (options.json) io.stdout(JSON.stringify({ models }));
  else
    io.stdout(
      models
        .map((model) =>
          model.maxContextSize === undefined ? model.id : `${model.id}  (context ${model.maxContextSize})`,
        )
        .join('\n'),
    );
  return 0;
}
