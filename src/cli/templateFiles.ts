// The CLI's file policy: a template reads only inside the prompt file's folder (or --root DIR),
// through node:fs, with the size caps of --max-image-bytes / --max-include-bytes.
import * as path from 'node:path';
import { DEFAULT_FILE_LIMITS, FilePolicy, type TemplateFiles } from '../core/files/policy';
import { nodeFileReader } from '../core/files/nodeReader';
import { UsageError } from './io';

export interface FileFlags {
  root?: string | undefined;
  maxImageBytes?: string | undefined;
  maxIncludeBytes?: string | undefined;
}

/** The flags' names and help, shared by every command that renders a prompt file. */
export const FILE_OPTIONS = {
  root: { type: 'string' },
  'max-image-bytes': { type: 'string' },
  'max-include-bytes': { type: 'string' },
} as const;

export const FILE_USAGE =
  "--root DIR   folder tree a template may read images and includes from (default: the prompt file's folder)\n  --max-image-bytes N (default 20971520)   --max-include-bytes N (default 1048576)";

export function cliTemplateFiles(file: string, flags: FileFlags): TemplateFiles {
  const custom = flags.root !== undefined;
  return new FilePolicy({
    root: path.resolve(flags.root ?? path.dirname(file)),
    trusted: true,
    limits: {
      maxImageBytes: bytes(flags.maxImageBytes, '--max-image-bytes') ?? DEFAULT_FILE_LIMITS.maxImageBytes,
      maxIncludeBytes:
        bytes(flags.maxIncludeBytes, '--max-include-bytes') ?? DEFAULT_FILE_LIMITS.maxIncludeBytes,
    },
    reader: nodeFileReader,
    rootName: custom ? 'the --root folder' : "the prompt file's folder (allow a wider one with --root DIR)",
    limitHints: { image: 'it with --max-image-bytes N', include: 'it with --max-include-bytes N' },
  });
}

function bytes(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(parsed) || parsed < 0)
    throw new UsageError(`${flag} takes a whole number of bytes >= 0`);
  return parsed;
}
