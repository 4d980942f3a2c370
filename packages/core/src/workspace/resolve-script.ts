import { realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { ScriptNotFoundError, ScriptPathError } from '../errors/workspace-errors.js';

/**
 * Resolves a normalised script name to the real path of a file inside `realRoot` (itself a real
 * path). Following symlinks first and comparing after means a link that leads out is refused.
 */
export function resolveScriptFile(realRoot: string, name: string): string {
  let real: string;
  try {
    real = realpathSync(join(realRoot, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new ScriptNotFoundError(name, realRoot);
    }
    throw error;
  }
  if (!real.startsWith(realRoot + sep)) {
    throw new ScriptPathError(name, 'it is a symlink (or passes through one) that leads outside the workspace');
  }
  if (!statSync(real).isFile()) throw new ScriptNotFoundError(name, realRoot);
  return real;
}
