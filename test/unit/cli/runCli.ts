// Runs the CLI in-process with captured output, as the `promptlens` binary would.
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: string[],
  env: Record<string, string> = {},
  files: Record<string, string> = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (line) => void (stdout += `${line}\n`),
    stderr: (line) => void (stderr += `${line}\n`),
    write: (text) => void (stdout += text),
    env,
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return content;
    },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Exactly one line on stderr. */
export function oneLine(text: string): boolean {
  return text.endsWith('\n') && !text.slice(0, -1).includes('\n');
}
