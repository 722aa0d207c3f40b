// `promptlens test [files or globs]`: which `.prompt` files the arguments name. A folder means every
// `.prompt` file under it; `*`, `?` and `**` are expanded here (shells on Windows do not). The walk is
// bounded and skips node_modules and dot folders.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../io';

const MAX_FILES = 5000;
const MAX_VISITED = 50_000;

export async function promptFilesOf(args: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const arg of args.length === 0 ? ['.'] : args) {
    const before = found.size;
    if (/[*?[]/.test(arg)) await expandGlob(arg, cwd, found);
    else {
      const full = path.resolve(cwd, arg);
      const stat = await fs.stat(full).catch(() => undefined);
      if (!stat) throw new UsageError(`no such file or folder: ${arg}`);
      if (stat.isDirectory()) await walk(full, (file) => file.endsWith('.prompt'), found);
      else found.add(full);
    }
    if (found.size === before && args.length > 0) throw new UsageError(`no .prompt file matches ${arg}`);
    if (found.size > MAX_FILES) throw new UsageError(`more than ${MAX_FILES} prompt files: name fewer`);
  }
  return [...found].sort();
}

async function expandGlob(pattern: string, cwd: string, found: Set<string>): Promise<void> {
  const normalized = pattern.split(path.sep).join('/');
  const parts = normalized.split('/');
  const fixed: string[] = [];
  while (parts.length > 1 && !/[*?[]/.test(parts[0] ?? '')) fixed.push(parts.shift() ?? '');
  const base = path.resolve(cwd, fixed.join('/') || '.');
  const matcher = globRegex(parts.join('/'));
  await walk(base, (file) => matcher.test(path.relative(base, file).split(path.sep).join('/')), found);
}

/** `**` any folders, `*` any characters but `/`, `?` one character, `[...]` a class. */
export function globRegex(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*' && glob[i + 1] === '*') {
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) source += '\\[';
      else {
        source += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

async function walk(folder: string, keep: (file: string) => boolean, found: Set<string>): Promise<void> {
  const queue = [folder];
  let visited = 0;
  while (queue.length > 0) {
    const current = queue.shift() ?? '';
    const entries = await fs.readdir(current, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (++visited > MAX_VISITED)
        throw new UsageError(
          `more than ${MAX_VISITED} files under ${folder}: name a narrower folder or glob`,
        );
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) queue.push(full);
      } else if (entry.isFile() && keep(full)) found.add(full);
    }
  }
}
