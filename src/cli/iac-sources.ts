/**
 * remediate --iac-dir: the files under each directory that a format may read, and writing the
 * patch. The only place the IaC fix touches the disk: it reads the user's files and writes the
 * patch to --patch-out, never to the files themselves.
 */
import {
  type Dirent,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { SourceFile } from '../iac/types.js';
import type { AsCodeFailure } from '../model/as-code.js';
import { CliError } from './cli-error.js';
import { systemErrorCause } from './options/file-checks.js';

/** Folders no infrastructure code lives in: version control, dependencies, tool caches. */
const SKIPPED_FOLDERS = new Set([
  '.git',
  'node_modules',
  '.terraform',
  '.terragrunt-cache',
  '.eksposure',
]);
const READ_EXTENSIONS = /\.(tf|tfvars|ya?ml|json|template)$/i;
/** Larger files are generated (state, lock files, rendered charts), not what a person reviews. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface IacSources {
  readonly files: SourceFile[];
  readonly unreadable: AsCodeFailure[];
}

const posix = (path: string) => path.split(sep).join('/');

function checkDirectory(dir: string, cwd: string): string {
  const absolute = isAbsolute(dir) ? dir : join(cwd, dir);
  const fromCwd = relative(cwd, absolute);
  if (fromCwd.startsWith('..') || isAbsolute(fromCwd)) {
    throw new CliError(
      `--iac-dir ${dir} is outside the current directory: run eksposure from a directory that holds it (the patch's paths are relative to where it runs).`,
    );
  }
  let stat;
  try {
    stat = statSync(absolute);
  } catch (error) {
    throw new CliError(
      `--iac-dir ${dir} cannot be read: ${systemErrorCause(error)}; give the directory that holds the cluster's infrastructure code.`,
    );
  }
  if (!stat.isDirectory())
    throw new CliError(
      `--iac-dir ${dir} is a file, not a directory; give the directory that holds it.`,
    );
  return absolute;
}

/** Every file under the directories a format may read, each once, with paths relative to cwd. */
export function readIacSources(dirs: readonly string[], cwd: string): IacSources {
  const roots = dirs.map((d) => checkDirectory(d, cwd));
  const files = new Map<string, SourceFile>();
  const unreadable: AsCodeFailure[] = [];
  const walk = (folder: string, isRoot: boolean) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      if (isRoot)
        throw new CliError(
          `--iac-dir ${posix(relative(cwd, folder)) || '.'} cannot be read: ${systemErrorCause(error)}.`,
        );
      unreadable.push({
        file: posix(relative(cwd, folder)),
        line: null,
        message: `cannot be read: ${systemErrorCause(error)}`,
      });
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(folder, entry.name);
      // Symbolic links are not followed: a patch must change the file that is under review.
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(path, false);
        continue;
      }
      if (!entry.isFile() || !READ_EXTENSIONS.test(entry.name)) continue;
      const file = posix(relative(cwd, path));
      if (files.has(file)) continue;
      try {
        if (statSync(path).size > MAX_FILE_BYTES) {
          unreadable.push({ file, line: null, message: 'skipped: larger than 2 MB' });
          continue;
        }
        files.set(file, { path: file, text: readFileSync(path, 'utf8') });
      } catch (error) {
        unreadable.push({
          file,
          line: null,
          message: `cannot be read: ${systemErrorCause(error)}`,
        });
      }
    }
  };
  for (const root of roots) walk(root, true);
  return { files: [...files.values()], unreadable };
}

/** Writes the patch whole or not at all: a temporary file beside it, renamed over it. */
export function writePatch(path: string, patch: string, pid: number): void {
  const temporary = `${path}.${String(pid)}.tmp`;
  try {
    writeFileSync(temporary, patch);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new CliError(
      `cannot write the patch to ${path}: ${systemErrorCause(error)}; give a writable path with --patch-out. Nothing was changed.`,
    );
  }
}
