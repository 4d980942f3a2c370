import type { TSchema } from 'typebox';
import type { SchemaCheck } from './schema-check.js';

/** Compiles a TypeBox schema into a {@link SchemaCheck}. */
export type SchemaCompiler = (schema: TSchema) => SchemaCheck;

let loading: Promise<SchemaCompiler> | undefined;

/**
 * Loads the schema compiler (TypeBox's), once. It is loaded only when a schema must be checked:
 * TypeBox is half a second of module loading, which every worker thread and every process that
 * imports `@orchestra/core` would otherwise pay with no schema to check.
 */
export function loadSchemaCheck(): Promise<SchemaCompiler> {
  loading ??= import('./schema-check.js').then((module) => module.compileSchemaCheck);
  return loading;
}
