// A fresh copy of the test workspace for each run, so tests may edit files freely.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { root } from './env.mjs';

export function freshWorkspace(name = 'workspace') {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), `prompt-lens-${name}-`));
  fs.cpSync(path.join(root, 'test', 'fixtures', name), target, { recursive: true });
  return target;
}
