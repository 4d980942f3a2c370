import { realpathSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { ParamsValidationError } from '../errors/payload-errors.js';
import { WorkspaceError } from '../errors/workspace-errors.js';
import { normaliseScriptName } from './script-name.js';
import { resolveScriptFile } from './resolve-script.js';
import { compileSchemaCheck, type SchemaCheck } from './schema-check.js';
import type {
  AnyWorkspace,
  ScriptTable,
  SchemaTable,
  TypesOfSchemas,
  UntypedScripts,
  WorkspaceTypes,
} from './types.js';

/**
 * A folder of job scripts. Jobs name scripts relative to it, so every machine may keep its own copy
 * at its own path. Create one with `new Workspace(absolutePath)`, typed as
 * `new Workspace<keyof MyScripts, MyScripts>(path)`, or with schemas that give both the types and
 * run-time checks: `new Workspace(path, { 'add.js': { params: Type.Object(…), result: Type.Number() } })`.
 */
class WorkspaceImpl<Names extends string = string, Scripts extends ScriptTable<Names> = UntypedScripts<Names>>
  implements AnyWorkspace
{
  /** Type-level only: the names and types this workspace declares. */
  declare readonly '~types'?: WorkspaceTypes<Names, Scripts>;
  /** The workspace folder, as given. */
  readonly root: string;
  /** The schemas given to the constructor, if any. */
  readonly schemas: SchemaTable | undefined;
  readonly #realRoot: string;
  readonly #resolved = new Map<string, string>();
  readonly #paramChecks = new Map<string, SchemaCheck>();

  constructor(root: string, schemas?: SchemaTable) {
    if (typeof root !== 'string' || !isAbsolute(root)) {
      throw new WorkspaceError(`Workspace path must be absolute, got ${JSON.stringify(root)} (use __dirname or import.meta.dirname)`);
    }
    let realRoot: string;
    try {
      realRoot = realpathSync(root);
    } catch (error) {
      throw new WorkspaceError(`Workspace path ${root} does not exist`, { cause: error });
    }
    if (!statSync(realRoot).isDirectory()) throw new WorkspaceError(`Workspace path ${root} is not a directory`);
    this.#realRoot = realRoot;
    this.root = root;
    this.schemas = schemas;
  }

  /**
   * Returns the real path of `script` inside the workspace, or throws `ScriptPathError` (a name that
   * could lead outside: `..`, absolute, URL, null byte, symlink out) or `ScriptNotFoundError`.
   * Names found once are remembered; the instrument checks again before running anything.
   */
  resolve(script: string): string {
    const cached = this.#resolved.get(script);
    if (cached !== undefined) return cached;
    const file = resolveScriptFile(this.#realRoot, normaliseScriptName(script));
    this.#resolved.set(script, file);
    return file;
  }

  /** Throws `ParamsValidationError`, naming each failing path, when the script has a schema and `params` break it. */
  checkParams(script: string, params: unknown): void {
    const schema = this.schemas?.[script];
    if (schema === undefined) return;
    let check = this.#paramChecks.get(script);
    if (check === undefined) {
      check = compileSchemaCheck(schema.params);
      this.#paramChecks.set(script, check);
    }
    const issues = check(params);
    if (issues !== undefined) throw new ParamsValidationError(script, issues);
  }
}

/** A workspace; see the `Workspace` constructor for the forms. */
export type Workspace<
  Names extends string = string,
  Scripts extends ScriptTable<Names> = UntypedScripts<Names>,
> = WorkspaceImpl<Names, Scripts>;

/** The forms of `new Workspace(…)`. */
export interface WorkspaceConstructor {
  /** Schema form: the types come from the TypeBox schemas, which also check params and results at run time. */
  new <const M extends SchemaTable>(root: string, schemas: M): WorkspaceImpl<keyof M & string, TypesOfSchemas<M>>;
  /** Plain form, typed by type arguments as in `new Workspace<keyof MyScripts, MyScripts>(path)`, or untyped. */
  new <Names extends string = string, Scripts extends ScriptTable<Names> = UntypedScripts<Names>>(
    root: string,
  ): WorkspaceImpl<Names, Scripts>;
  readonly prototype: WorkspaceImpl;
}

/** A folder of job scripts, shared by the consumer (which checks names) and the instrument (which runs them). */
export const Workspace: WorkspaceConstructor = WorkspaceImpl;
