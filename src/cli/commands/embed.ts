// `promptlens embed`: the backend's embedding of a text or rendered prompt file. Aleph Alpha:
// `/semantic_embed` (--representation, --compress-to-size) or the raw `/embed` (--layers, --pooling);
// llama.cpp `/embedding`; OpenAI-compatible `/v1/embeddings`.
import { promptText } from '../../core/backend';
import type { AlephAlphaBackend, Pooling, Representation } from '../../core/backends/alephAlpha';
import { embedTexts } from '../../core/embeddings';
import { UsageError, type CliIo } from '../io';
import { resolveInvocation, withBackend } from '../invocation';
import { parseCliOptions } from '../options';

const OWN = {
  representation: { type: 'string' },
  'compress-to-size': { type: 'string' },
  layers: { type: 'string' },
  pooling: { type: 'string' },
} as const;

const POOLINGS: readonly Pooling[] = ['mean', 'max', 'last_token', 'abs_max', 'weighted_mean'];

export async function embedCommand(argv: string[], io: CliIo): Promise<number> {
  const { own, rest } = splitOwnFlags(argv);
  const options = parseCliOptions(rest);
  const representation = own.representation;
  if (representation !== undefined && !['symmetric', 'document', 'query'].includes(representation))
    throw new UsageError('--representation takes symmetric, document or query');
  if (own['compress-to-size'] !== undefined && own['compress-to-size'] !== '128')
    throw new UsageError('--compress-to-size takes 128 (the only size the API offers)');
  const layers = own.layers === undefined ? undefined : own.layers.split(',').map((l) => Number(l.trim()));
  if (layers?.some((l) => !Number.isInteger(l)))
    throw new UsageError('--layers takes whole numbers separated by commas, e.g. 0,-1');
  const pooling = own.pooling === undefined ? undefined : own.pooling.split(',').map((p) => p.trim());
  if (pooling?.some((p) => !(POOLINGS as readonly string[]).includes(p)))
    throw new UsageError(`--pooling takes ${POOLINGS.join(', ')} (comma-separated)`);
  const raw = layers !== undefined || pooling !== undefined;
  const invocation = await resolveInvocation(options, io, true);
  if (
    (raw || representation !== undefined || own['compress-to-size'] !== undefined) &&
    invocation.kind !== 'aleph-alpha'
  )
    throw new UsageError(
      '--representation, --compress-to-size, --layers and --pooling are Aleph Alpha options',
    );
  const model = invocation.model;
  const output = await withBackend(invocation, options, io, async (backend) => {
    if (raw) {
      const result = await (backend as unknown as AlephAlphaBackend).embed({
        prompt: invocation.prompt,
        layers: layers ?? [-1],
        pooling: (pooling ?? ['mean']) as Pooling[],
        ...(model === undefined ? {} : { model }),
      });
      return {
        embeddings: result.embeddings,
        ...(result.promptTokens === undefined ? {} : { promptTokens: result.promptTokens }),
      };
    }
    const result = await embedTexts(backend, {
      texts: [promptText(invocation.prompt)],
      ...(model === undefined ? {} : { model }),
      ...(representation === undefined ? {} : { representation: representation as Representation }),
      ...(own['compress-to-size'] === undefined ? {} : { compressToSize: 128 as const }),
    });
    const embedding = result.embeddings[0] ?? [];
    return {
      embedding,
      dimensions: embedding.length,
      ...(result.promptTokens === undefined ? {} : { promptTokens: result.promptTokens }),
    };
  });
  if (options.json) io.stdout(JSON.stringify(output));
  else if ('embedding' in output) io.stdout(`${output.dimensions} dimensions: ${preview(output.embedding)}`);
  else
    for (const [layer, byPooling] of Object.entries(output.embeddings))
      for (const [name, vector] of Object.entries(byPooling))
        io.stdout(`${layer} ${name} (${vector.length}): ${preview(vector)}`);
  return 0;
}

function preview(vector: readonly number[]): string {
  const head = vector
    .slice(0, 8)
    .map((x) => x.toFixed(4))
    .join(', ');
  return `[${head}${vector.length > 8 ? ', ...' : ''}]`;
}

/** Takes this command's own flags out; the rest goes to the shared parser. */
function splitOwnFlags(argv: string[]): { own: Partial<Record<keyof typeof OWN, string>>; rest: string[] } {
  const own: Partial<Record<keyof typeof OWN, string>> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--')
      ? [arg.slice(2).split('=')[0] ?? '', arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined]
      : ['', undefined];
    if (flag in OWN) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${flag} needs a value`);
      own[flag as keyof typeof OWN] = value;
    } else rest.push(arg);
  }
  return { own, rest };
}
