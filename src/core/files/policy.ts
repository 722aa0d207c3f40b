// The one gate every file a template reads passes through (`{% image %}`, `include`, `render`,
// `layout`, and anything added later): inside the allowed folder tree after resolving symlinks,
// regular files only, a size cap per kind enforced while reading, and nothing at all when the
// workspace is not trusted. No `vscode` here: the editor and the CLI inject their own reader.
import * as nodePath from 'node:path';

export type FileKind = 'image' | 'include';

export interface FileLimits {
  maxImageBytes: number;
  maxIncludeBytes: number;
}

export const DEFAULT_FILE_LIMITS: FileLimits = {
  maxImageBytes: 20 * 1024 * 1024,
  maxIncludeBytes: 1024 * 1024,
};

export type RefusalReason =
  'untrusted' | 'no-root' | 'outside-root' | 'not-regular' | 'too-large' | 'missing' | 'unreadable';

/** A read the policy refused, or that failed; `message` says what happened and what to do. */
export class FileRefusedError extends Error {
  override readonly name = 'FileRefusedError';
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** Raw access to one file system. The policy decides what may be asked of it. */
export interface FileReader {
  /** The path with every symbolic link resolved; rejects if it does not exist. */
  realpath(path: string): Promise<string>;
  /**
   * The bytes of a regular file, at most `maxBytes`: rejects with FileRefusedError `not-regular`
   * (FIFO, device, directory...) or `too-large` (found while reading, not from a stat). Never blocks
   * on a FIFO or a device.
   */
  read(path: string, maxBytes: number): Promise<Uint8Array>;
}

/** What a render may read; `fromDir` is the directory a relative `path` is relative to. */
export interface TemplateFiles {
  read(kind: FileKind, path: string, fromDir: string): Promise<Uint8Array>;
}

export interface FilePolicyOptions {
  /** The folder tree reads are confined to; undefined: nothing is read (e.g. an unsaved file). */
  root: string | undefined;
  /** False in an untrusted workspace: nothing is read from disk. */
  trusted: boolean;
  limits: FileLimits;
  reader: FileReader;
  /** `posix` for URI paths (the editor), `native` for the CLI's file names. */
  paths?: 'posix' | 'native';
  /** How messages name the root, e.g. "the workspace folder". */
  rootName?: string;
  /** How to raise each cap, e.g. "the setting promptLens.files.maxImageBytes". */
  limitHints?: Partial<Record<FileKind, string>>;
}

export class FilePolicy implements TemplateFiles {
  private readonly path: typeof nodePath.posix;
  private realRoot: Promise<string> | undefined;

  constructor(private readonly options: FilePolicyOptions) {
    this.path = options.paths === 'posix' ? nodePath.posix : nodePath;
  }

  async read(kind: FileKind, requested: string, fromDir: string): Promise<Uint8Array> {
    const { root, reader } = this.options;
    const name = `${kind} ${requested}`;
    if (!this.options.trusted)
      throw new FileRefusedError(
        'untrusted',
        `${name} was not read: this workspace is not trusted, so Prompt Lens reads no files while rendering. Trust the workspace to use it.`,
      );
    if (root === undefined)
      throw new FileRefusedError(
        'no-root',
        `${name} was not read: save the prompt file first, so that relative paths have a folder.`,
      );
    const resolved = this.path.resolve(fromDir, requested);
    const rootName = this.options.rootName ?? 'the allowed folder';
    // Refused before the disk is touched: no stat, no realpath of /dev or /proc.
    if (!this.inside(this.path.resolve(root), resolved))
      throw new FileRefusedError('outside-root', `${name} was not read: it is outside ${rootName}.`);
    let real: string;
    let realRoot: string;
    try {
      realRoot = await (this.realRoot ??= reader.realpath(this.path.resolve(root)));
      real = await reader.realpath(resolved);
    } catch (error) {
      throw new FileRefusedError(
        'missing',
        `${name} was not found (looked for ${resolved}): ${reasonOf(error)}.`,
      );
    }
    if (!this.inside(realRoot, real))
      throw new FileRefusedError(
        'outside-root',
        `${name} was not read: it links to a file outside ${rootName}.`,
      );
    const maxBytes =
      kind === 'image' ? this.options.limits.maxImageBytes : this.options.limits.maxIncludeBytes;
    try {
      return await reader.read(real, maxBytes);
    } catch (error) {
      if (!(error instanceof FileRefusedError))
        throw new FileRefusedError('unreadable', `${name} could not be read: ${reasonOf(error)}.`);
      if (error.reason === 'too-large') {
        const hint = this.options.limitHints?.[kind];
        throw new FileRefusedError(
          'too-large',
          `${name} was not read: it is larger than the ${formatBytes(maxBytes)} allowed for ${kind}s${hint ? ` (raise ${hint})` : ''}.`,
        );
      }
      if (error.reason === 'not-regular')
        throw new FileRefusedError(
          'not-regular',
          `${name} was not read: it is not a regular file (a device, pipe or folder).`,
        );
      throw error;
    }
  }

  private inside(root: string, file: string): boolean {
    const relative = this.path.relative(root, file);
    const up = relative === '..' || relative.startsWith(`..${this.path.sep}`);
    return relative !== '' && !up && !this.path.isAbsolute(relative);
  }
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'FileNotFound') return 'no such file';
  if (code === 'EACCES' || code === 'NoPermissions') return 'permission denied';
  return error instanceof Error ? (error.message.split('\n')[0] ?? 'unknown error') : String(error);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
