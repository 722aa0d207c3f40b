// Renders prompt files in a worker thread under one deadline that covers reading, parsing and
// rendering: when it expires, or the caller aborts (a newer version of the document supersedes
// this one), the worker is terminated, whatever it is doing. Reads the worker asks for go through
// the caller's file policy here, on the caller's side. No `vscode` here.
import { Worker } from 'node:worker_threads';
import { FileRefusedError, type TemplateFiles } from '../files/policy';
import type { RenderResult } from '../promptFile/types';
import { decodeResult, type FromWorker, type ToWorker, type WorkerRenderOptions } from './protocol';

/** One deadline for read + parse + render. */
export const RENDER_DEADLINE_MS = 20_000;
/** A hostile template ends as an error at this heap size, not as the host's memory. */
const WORKER_HEAP_MB = 2048;

export class RenderCancelledError extends Error {
  override readonly name = 'RenderCancelledError';
  constructor() {
    super('the rendering was superseded by a newer one');
  }
}

export interface RenderJob {
  source: string;
  options: WorkerRenderOptions;
  files: TemplateFiles;
  deadlineMs?: number;
  signal?: AbortSignal;
}

export class WorkerRenderer {
  private idle: Worker | undefined;
  private nextId = 1;
  private disposed = false;
  private readonly busy = new Set<Worker>();

  constructor(private readonly script: string) {}

  render(job: RenderJob): Promise<RenderResult> {
    if (this.disposed) return Promise.reject(new Error('the renderer is closed'));
    if (job.signal?.aborted) return Promise.reject(new RenderCancelledError());
    const worker = this.idle ?? this.spawn();
    this.idle = undefined;
    this.busy.add(worker);
    const id = this.nextId++;
    const deadlineMs = job.deadlineMs ?? RENDER_DEADLINE_MS;
    return new Promise<RenderResult>((resolve, reject) => {
      let settled = false;
      const finish = (reusable: boolean): void => {
        settled = true;
        clearTimeout(timer);
        job.signal?.removeEventListener('abort', onAbort);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        this.busy.delete(worker);
        if (reusable && !this.idle && !this.disposed) this.idle = worker;
        else void worker.terminate();
      };
      const answerRead = (
        readId: number,
        reply: Omit<Extract<ToWorker, { type: 'read-result' }>, 'type' | 'readId'>,
      ): void => {
        if (settled) return;
        const bytes = reply.bytes && ownBuffer(reply.bytes);
        const message: ToWorker = { type: 'read-result', readId, ...reply, ...(bytes && { bytes }) };
        worker.postMessage(message, bytes ? [bytes.buffer as ArrayBuffer] : []);
      };
      const onMessage = (message: FromWorker): void => {
        if (message.id !== id || settled) return;
        if (message.type === 'read') {
          job.files.read(message.kind, message.path, message.fromDir).then(
            (bytes) => answerRead(message.readId, { bytes }),
            (error: unknown) =>
              answerRead(message.readId, {
                error:
                  error instanceof FileRefusedError
                    ? { reason: error.reason, message: error.message }
                    : {
                        reason: 'unreadable',
                        message: `${message.kind} ${message.path} could not be read: ${String(error)}`,
                      },
              }),
          );
          return;
        }
        finish(true);
        if (message.type === 'done') resolve(decodeResult(message.result));
        else resolve(failedRender(`Internal error while rendering: ${message.message}`));
      };
      const onError = (error: Error): void => {
        finish(false);
        const outOfMemory = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        resolve(
          failedRender(
            outOfMemory
              ? `Rendering stopped: it needed more than ${WORKER_HEAP_MB} MB of memory. Make the template or its loops smaller.`
              : `Internal error while rendering: ${error.message}`,
          ),
        );
      };
      const onExit = (): void => {
        finish(false);
        reject(new Error('the render worker stopped unexpectedly'));
      };
      const onAbort = (): void => {
        finish(false);
        reject(new RenderCancelledError());
      };
      const timer = setTimeout(() => {
        finish(false);
        resolve(
          failedRender(
            `Rendering stopped after ${deadlineMs / 1000} s (reading, parsing and rendering together): the template is too large or a loop runs too long.`,
          ),
        );
      }, deadlineMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      job.signal?.addEventListener('abort', onAbort);
      const request: ToWorker = { type: 'render', id, source: job.source, options: job.options };
      worker.postMessage(request);
    });
  }

  dispose(): void {
    this.disposed = true;
    void this.idle?.terminate();
    this.idle = undefined;
    for (const worker of this.busy) void worker.terminate();
    this.busy.clear();
  }

  private spawn(): Worker {
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    // An idle worker that dies is not handed the next render.
    worker.once('exit', () => {
      if (this.idle === worker) this.idle = undefined;
    });
    // An idle worker must not keep a CLI process alive.
    worker.unref();
    return worker;
  }
}

/** A view that owns its whole buffer, so that transferring it moves exactly these bytes. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/** A rendering that failed as a whole: `message` as one error at the top of the file. */
export function failedRender(message: string): RenderResult {
  return {
    text: '',
    items: [],
    prompt: '',
    map: [],
    diagnostics: [
      {
        line: 0,
        column: 0,
        endLine: 0,
        endColumn: 0,
        start: 0,
        end: 0,
        severity: 'error',
        code: 'liquid-render',
        message,
      },
    ],
    settings: { params: {}, vars: {}, tests: [] },
    ranges: [],
    itemStarts: [],
    bodyStart: 0,
  };
}
