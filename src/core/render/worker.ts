// The render worker (bundled as dist/renderWorker.js): renders prompt files off the caller's event
// loop. It reads no file itself: every read is a message to the parent, which runs the file policy.
import { parentPort } from 'node:worker_threads';
import { FileRefusedError, type FileKind, type TemplateFiles } from '../files/policy';
import { renderPromptFile } from '../promptFile/render';
import { encodeResult, type FromWorker, type ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('renderWorker runs as a worker thread');

const pendingReads = new Map<
  number,
  { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }
>();
let nextReadId = 1;

const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

function filesFor(id: number): TemplateFiles {
  return {
    read: (kind: FileKind, path: string, fromDir: string) =>
      new Promise<Uint8Array>((resolve, reject) => {
        const readId = nextReadId++;
        pendingReads.set(readId, { resolve, reject });
        post({ type: 'read', id, readId, kind, path, fromDir });
      }),
  };
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'read-result') {
    const pending = pendingReads.get(message.readId);
    pendingReads.delete(message.readId);
    if (!pending) return;
    if (message.bytes) pending.resolve(message.bytes);
    else
      pending.reject(
        new FileRefusedError(
          message.error?.reason ?? 'unreadable',
          message.error?.message ?? 'the file could not be read',
        ),
      );
    return;
  }
  const { id, source, options } = message;
  renderPromptFile(source, { ...options, files: filesFor(id) }).then(
    (result) => {
      const { encoded, transfer } = encodeResult(result);
      post({ type: 'done', id, result: encoded }, transfer);
    },
    (error: unknown) =>
      post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) }),
  );
});
