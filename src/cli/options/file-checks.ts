import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { firstLine, isError } from '../../model/errors.js';
import { CliError } from '../cli-error.js';

const CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EADDRINUSE: 'the address is already in use',
  EADDRNOTAVAIL: 'the address does not belong to this machine',
};

/** A file-system or socket error in a few words, with its code: "permission denied (EACCES)". */
export function systemErrorCause(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const cause = code ? CAUSES[code] : undefined;
  if (cause && code) return `${cause} (${code})`;
  return firstLine(isError(error) ? error.message : String(error));
}

/**
 * Refuses, before anything is read from AWS, a file the command would write and could not: its
 * folder missing, not a folder, or not writable; or the path itself a folder.
 */
export function checkWritableFile(flag: string, path: string | undefined): void {
  if (path === undefined) return;
  const folder = dirname(path);
  const refuse = (why: string) => {
    throw new CliError(`${flag} ${path}: ${why}; choose another path.`);
  };
  let folderStat;
  try {
    folderStat = statSync(folder);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return refuse(
      missing
        ? `the folder ${folder} does not exist`
        : `the folder ${folder} cannot be used: ${systemErrorCause(error)}`,
    );
  }
  if (!folderStat.isDirectory()) return refuse(`${folder} is a file, not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    return refuse(`the folder ${folder} is not writable: ${systemErrorCause(error)}`);
  }
  if (existsSync(path) && statSync(path).isDirectory()) refuse('it is a folder');
}
