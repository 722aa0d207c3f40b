// Shared by the benchmarks: the repository root, command-line options, and bundling the TypeScript
// a benchmark measures into dist/bench (dependencies stay external, as in the extension).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** `--name value` from the command line, else `fallback`. */
export function option(name, fallback) {
  const args = process.argv.slice(2);
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] !== undefined ? args[index + 1] : fallback;
}

/** Bundles `entry` (a file) or `contents` (TypeScript source resolved from the root) to `outfile`. */
export async function bundleForBench({ outfile, entry, contents }) {
  const esbuild = require('esbuild');
  await esbuild.build({
    ...(entry
      ? { entryPoints: [entry] }
      : {
          stdin: {
            contents,
            resolveDir: root,
            sourcefile: path.basename(outfile, '.cjs') + '-entry.ts',
            loader: 'ts',
          },
        }),
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    define: { PROMPT_LENS_VERSION: JSON.stringify(require(path.join(root, 'package.json')).version) },
  });
}
