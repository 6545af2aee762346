// Reading a file the user named, with an error that says which and why instead of a stack trace.
import { readFile } from 'node:fs/promises';
import { InputFileError } from './input-file-error.js';

export async function readInputFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputFileError(path, 'file not found');
    if (code === 'EISDIR') throw new InputFileError(path, 'is a folder, expected a file');
    if (code === 'EACCES') throw new InputFileError(path, 'permission denied');
    throw new InputFileError(path, (error as Error).message);
  }
}
