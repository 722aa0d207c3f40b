// The editor's readers for the file policy. Paths are URI paths of the document's scheme.
//  - `file:` (local and remote workspaces: the extension host runs where the files are): node:fs,
//    because workspace.fs can neither resolve a symlink, nor bound a read, nor check the type of
//    what it opened, so a FIFO swapped in after a stat would still hang its read.
//  - any other scheme (virtual workspaces): workspace.fs, with the type and size checked by stat
//    and the size again after the read; symlinks are refused, as they cannot be resolved there.
import * as vscode from 'vscode';
import { FileRefusedError, type FileReader } from '../../core/files/policy';
import { nodeFileReader } from '../../core/files/nodeReader';

export function fileReaderFor(document: vscode.Uri): FileReader {
  return document.scheme === 'file' ? localReader : workspaceFsReader(document);
}

const toFsPath = (path: string): string => vscode.Uri.from({ scheme: 'file', path }).fsPath;

const localReader: FileReader = {
  realpath: async (path) => vscode.Uri.file(await nodeFileReader.realpath(toFsPath(path))).path,
  read: (path, maxBytes) => nodeFileReader.read(toFsPath(path), maxBytes),
};

function workspaceFsReader(base: vscode.Uri): FileReader {
  const stat = async (path: string): Promise<vscode.FileStat> =>
    vscode.workspace.fs.stat(base.with({ path }));
  return {
    async realpath(path) {
      const { type } = await stat(path);
      if (type & vscode.FileType.SymbolicLink)
        throw new FileRefusedError('not-regular', `${path} is a symbolic link`);
      return path;
    },
    async read(path, maxBytes) {
      const { type, size } = await stat(path);
      if (type !== vscode.FileType.File)
        throw new FileRefusedError('not-regular', `${path} is not a regular file`);
      if (size > maxBytes) throw new FileRefusedError('too-large', `${path} has ${size} bytes`);
      const bytes = await vscode.workspace.fs.readFile(base.with({ path }));
      if (bytes.byteLength > maxBytes)
        throw new FileRefusedError('too-large', `${path} has ${bytes.byteLength} bytes`);
      return bytes;
    },
  };
}
