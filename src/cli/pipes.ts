// A reader that stops early (`promptlens ... | head`) closes our stdout; writing on gets EPIPE.
import { EXIT_OK } from './io';

/**
 * Ends the process quietly, with exit 0, once stdout is closed by its reader: nothing more can be
 * delivered, and that reader chose to stop. Any other stream error keeps its default handling.
 * stderr errors are ignored: there is nowhere left to report them.
 */
export function exitQuietlyWhenStdoutCloses(
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
  exit: (code: number) => never = (code) => process.exit(code),
): void {
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') exit(EXIT_OK);
    throw error;
  });
  stderr.on('error', () => undefined);
}
