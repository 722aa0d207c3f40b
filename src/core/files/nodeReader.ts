// A FileReader over node:fs for the CLI and for local (`file:`) workspaces: the file is opened
// without blocking (a FIFO or device cannot hang the open), its type is checked on the open
// descriptor (no race between a check and the read), and the read stops one byte past the cap.
import { constants, promises as fs } from 'node:fs';
import { FileRefusedError, type FileReader } from './policy';

const CHUNK = 64 * 1024;
// Absent on Windows: 0 leaves the flag out.
const OPEN_FLAGS =
  constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0) | (constants.O_NOFOLLOW ?? 0);

export const nodeFileReader: FileReader = {
  realpath: (path) => fs.realpath(path),
  async read(path, maxBytes) {
    const handle = await fs.open(path, OPEN_FLAGS);
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new FileRefusedError('not-regular', `${path} is not a regular file`);
      if (stat.size > maxBytes) throw new FileRefusedError('too-large', `${path} has ${stat.size} bytes`);
      // /proc and growing files report a size that is not the truth: read until the end or the cap.
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const want = Math.min(CHUNK, maxBytes + 1 - total);
        const buffer = Buffer.allocUnsafe(want);
        const { bytesRead } = await handle.read(buffer, 0, want, null);
        if (bytesRead === 0) break;
        chunks.push(buffer.subarray(0, bytesRead));
        total += bytesRead;
        if (total > maxBytes)
          throw new FileRefusedError('too-large', `${path} has more than ${maxBytes} bytes`);
      }
      return new Uint8Array(Buffer.concat(chunks, total));
    } finally {
      await handle.close();
    }
  },
};
