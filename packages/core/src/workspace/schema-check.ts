import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { ValidationIssue } from '../errors/payload-errors.js';

/** Checks a value against a TypeBox schema: `undefined` when it is valid, else the failing paths. */
export type SchemaCheck = (value: unknown) => readonly ValidationIssue[] | undefined;

/** Compiles a schema into a {@link SchemaCheck}. */
export function compileSchemaCheck(schema: TSchema): SchemaCheck {
  const validator = Compile(schema);
  return (value) => {
    if (validator.Check(value)) return undefined;
    return validator
      .Errors(value)
      .slice(0, 20)
      .map((e) => ({ path: e.instancePath, message: e.message }));
  };
}
