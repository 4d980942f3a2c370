import { OrchestraError } from './orchestra-error.js';

/** The workspace folder is not an absolute path to an existing directory. */
export class WorkspaceError extends OrchestraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ORCHESTRA_WORKSPACE_INVALID', message, options);
  }
}

/**
 * A script name that could lead outside the workspace: `..` segments, an absolute path, a URL,
 * a null byte, a backslash, or a symlink whose target is outside the workspace folder.
 */
export class ScriptPathError extends OrchestraError {
  /** The script name as it was given. */
  readonly script: string;
  constructor(script: string, reason: string) {
    super('ORCHESTRA_SCRIPT_PATH_INVALID', `Script name ${JSON.stringify(script)} is refused: ${reason}`);
    this.script = script;
  }
}

/** The script name is well formed but no such file exists in the workspace. */
export class ScriptNotFoundError extends OrchestraError {
  /** The script name as it was given. */
  readonly script: string;
  constructor(script: string, root: string) {
    super('ORCHESTRA_SCRIPT_NOT_FOUND', `Script ${JSON.stringify(script)} does not exist in workspace ${root}`);
    this.script = script;
  }
}
