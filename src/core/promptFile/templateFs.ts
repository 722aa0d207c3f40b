// liquidjs's file system hooks (`include`, `render`, `layout`) routed through the file policy. The
// loader is told every candidate exists and is contained, so that the policy, not a lookup failure,
// says why a file is refused. A refused read reports a diagnostic on the tag that asked for it and
// renders nothing in its place, so the rest of the template still renders.
import * as nodePath from 'node:path';
import type { FS } from 'liquidjs';
import { FileRefusedError } from '../files/policy';
import type { TagEnv } from './tagEnv';

export function templateFs(env: TagEnv, posix: boolean): FS {
  const path = posix ? nodePath.posix : nodePath;
  // One read per file and render, however many times a loop includes it.
  const reads = new Map<string, Promise<string>>();
  const read = async (file: string): Promise<string> => {
    try {
      const bytes = await env.files.read('include', file, path.dirname(file));
      return new TextDecoder('utf-8').decode(bytes);
    } catch (error) {
      const message =
        error instanceof FileRefusedError
          ? error.message
          : `include ${file} could not be read: ${String(error)}`;
      const range = env.recorder.currentMainRange();
      env.report(
        range.start,
        range.start + range.length,
        'error',
        error instanceof FileRefusedError && error.reason === 'untrusted' ? 'file-untrusted' : 'file-refused',
        message,
      );
      return '';
    }
  };
  return {
    exists: () => Promise.resolve(true),
    existsSync: () => true,
    contains: () => Promise.resolve(true),
    containsSync: () => true,
    readFile(file) {
      let pending = reads.get(file);
      if (!pending) reads.set(file, (pending = read(file)));
      return pending;
    },
    readFileSync() {
      throw new Error('prompt files are rendered asynchronously');
    },
    resolve: (dir, file, ext) => path.resolve(dir, path.extname(file) ? file : file + ext),
    dirname: (file) => path.dirname(file),
    sep: path.sep,
  };
}
