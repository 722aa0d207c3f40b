// The Liquid engine for one render: no HTML escaping, strict variables and filters, our tags, the
// recorder that builds the source map, linear parsing, and every file read through the file policy.
import * as nodePath from 'node:path';
import type { Liquid } from 'liquidjs';
import { imageTag } from './imageTag';
import { LinearLiquid } from './linearParse';
import { promptRangeTag } from './promptRangeTag';
import type { TagEnv } from './tagEnv';
import { templateFs } from './templateFs';

/** Upper bounds of one render (wall-clock time; characters and range items allocated). */
export const RENDER_LIMIT_MS = 20_000;
export const MEMORY_LIMIT = 50_000_000;

export function createEngine(env: TagEnv): Liquid {
  const dirs = [env.baseDir];
  const liquid = new LinearLiquid({
    // Where `{% include 'name' %}` looks; what may be read is the file policy's decision.
    root: dirs,
    partials: dirs,
    layouts: dirs,
    fs: templateFs(env, env.posixPaths),
    extname: '.liquid',
    strictVariables: true,
    strictFilters: true,
    // `{% if maybe %}` and `| default:` on an undefined variable stay legal; the static check warns.
    lenientIf: true,
    // Prompts are data: never reach into prototypes of the variables.
    ownPropertyOnly: true,
    cache: false,
    // Given, so that liquidjs does not ask Intl for it on every engine (a third of a render's time).
    locale: 'en-US',
    // An editor renders on every keystroke: a runaway loop must end as an error, not a hang.
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: MEMORY_LIMIT,
  });
  liquid.registerTag('image', imageTag(env));
  liquid.registerTag('promptrange', promptRangeTag(env));
  env.recorder.install(liquid);
  return liquid;
}

/** The directory relative paths of a prompt file resolve against. */
export function baseDirOf(filePath: string | undefined, posix: boolean): string {
  const path = posix ? nodePath.posix : nodePath;
  return filePath ? path.dirname(filePath) : path.resolve('.');
}
