import type { Static, TSchema } from 'typebox';

/** What a script takes and gives: the `params` passed to `addJob`, the `result` it resolves. */
export interface ScriptTypes {
  params: unknown;
  result: unknown;
}

/** Script name → its types, e.g. `{ 'add.js': { params: { a: number; b: number }; result: number } }`. */
export type ScriptTable<Names extends string> = { [K in Names]: ScriptTypes };

/** The table of a workspace that declares no types: any name, any params, an `unknown` result. */
export type UntypedScripts<Names extends string> = { [K in Names]: { params: unknown; result: unknown } };

/** A script's TypeBox schemas, for the schema form of `Workspace`. */
export interface ScriptSchema {
  params: TSchema;
  result: TSchema;
}

/** Script name → its schemas. */
export type SchemaTable = { readonly [name: string]: ScriptSchema };

/** The types a schema table stands for. */
export type TypesOfSchemas<M extends SchemaTable> = {
  [K in keyof M & string]: { params: Static<M[K]['params']>; result: Static<M[K]['result']> };
};

/** The type-level facts a workspace carries (never present at run time). */
export interface WorkspaceTypes<Names extends string, Scripts> {
  names: Names;
  scripts: Scripts;
}

/** Anything that is a workspace, whatever it declares. Roles accept this. */
export interface AnyWorkspace {
  /** @internal type-level only */
  readonly '~types'?: WorkspaceTypes<string, unknown>;
  /** The workspace folder, as given. */
  readonly root: string;
  /** The schemas declared with the schema form, if any. */
  readonly schemas: SchemaTable | undefined;
  /** See `Workspace.resolve`. */
  resolve(script: string): string;
  /** See `Workspace.checkParams`. */
  checkParams(script: string, params: unknown): void;
  /** See `Workspace.ready`. */
  ready(): Promise<void>;
}

// A workspace class (the original document writes `Consumer<typeof Workspace>`) stands for an untyped
// workspace: the class's prototype is a workspace of any script.
type TypesOf<W> = W extends { readonly '~types'?: infer T }
  ? NonNullable<T>
  : W extends { readonly prototype: infer P }
    ? P extends { readonly '~types'?: infer T }
      ? NonNullable<T>
      : never
    : never;
type ScriptsOf<W> = TypesOf<W> extends WorkspaceTypes<string, infer S> ? S : never;

/** The script names a workspace declares (`string` for an untyped one). */
export type ScriptName<W> = TypesOf<W> extends WorkspaceTypes<infer N, unknown> ? N : never;

/** The params type of script `K` of workspace `W`. */
export type ParamsOf<W, K> = K extends keyof ScriptsOf<W>
  ? ScriptsOf<W>[K] extends { params: infer P }
    ? P
    : unknown
  : unknown;

/** The result type of script `K` of workspace `W`. */
export type ResultOf<W, K> = K extends keyof ScriptsOf<W>
  ? ScriptsOf<W>[K] extends { result: infer R }
    ? R
    : unknown
  : unknown;
