import { realpathSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { ParamsValidationError } from '../errors/payload-errors.js';
import { WorkspaceError } from '../errors/workspace-errors.js';
import { normaliseScriptName } from './script-name.js';
import { resolveScriptFile } from './resolve-script.js';
import { createRequire } from 'node:module';
import { loadSchemaCheck, type SchemaCompiler } from './load-schema-check.js';
import type { SchemaCheck } from './schema-check.js';
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
  /** The schema compiler, loading from the constructor on when there are schemas. */
  readonly #compiler: Promise<SchemaCompiler> | undefined;
  #compile: SchemaCompiler | undefined;

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
    if (schemas !== undefined) {
      this.#compiler = loadSchemaCheck();
      this.#compiler.then(
        (compile) => (this.#compile = compile),
        // A compiler that fails to load is reported by ready() or checkParams().
        () => undefined,
      );
    }
  }

  /**
   * Resolves once this workspace can check params against its schemas; at once when it has none.
   * The schema compiler (TypeBox's) loads in the background from the constructor on, so that a
   * process or thread with no schema to check never loads it. `Consumer.addJob` awaits this.
   */
  async ready(): Promise<void> {
    if (this.#compiler !== undefined) this.#compile = await this.#compiler;
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
      check = this.#compilerNow()(schema.params);
      this.#paramChecks.set(script, check);
    }
    const issues = check(params);
    if (issues !== undefined) throw new ParamsValidationError(script, issues);
  }

  /** The schema compiler: loaded already, or loaded now (Node 20.19+ can `require()` an ES module). */
  #compilerNow(): SchemaCompiler {
    if (this.#compile === undefined) {
      try {
        const module = createRequire(import.meta.url)('./schema-check.js') as { compileSchemaCheck: SchemaCompiler };
        this.#compile = module.compileSchemaCheck;
      } catch (error) {
        throw new WorkspaceError('The schema compiler is still loading: await workspace.ready() before checkParams()', { cause: error });
      }
    }
    return this.#compile;
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
