import { posix } from 'node:path';
import { ScriptPathError } from '../errors/workspace-errors.js';
import { WIRE_LIMITS } from '../protocol/limits.js';

/**
 * Checks the form of a script name and returns it normalised (`./a/b.js` → `a/b.js`). A name is a
 * relative POSIX path inside the workspace; anything that could point elsewhere is refused before
 * the file system is asked.
 */
export function normaliseScriptName(name: unknown): string {
  if (typeof name !== 'string') throw new ScriptPathError(String(name), 'it is not a string');
  if (name.length === 0) throw new ScriptPathError(name, 'it is empty');
  if (name.length > WIRE_LIMITS.maxScriptName) {
    throw new ScriptPathError(name.slice(0, 64), `it is longer than ${WIRE_LIMITS.maxScriptName} characters`);
  }
  if (name.includes('\0')) throw new ScriptPathError(name, 'it contains a null byte');
  if (name.includes('\\')) throw new ScriptPathError(name, 'it contains a backslash; use / between folders');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(name)) throw new ScriptPathError(name, 'it is a URL or has a drive letter');
  if (name.startsWith('/')) throw new ScriptPathError(name, 'it is an absolute path; name it relative to the workspace');
  if (name.split('/').includes('..')) throw new ScriptPathError(name, 'it contains a ".." segment');
  const normal = posix.normalize(name);
  if (normal === '.' || normal.endsWith('/')) throw new ScriptPathError(name, 'it names a folder, not a file');
  return normal;
}
