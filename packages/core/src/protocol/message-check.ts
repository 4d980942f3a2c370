import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/** A compiled schema check for messages read from the network. */
export interface MessageCheck<T> {
  /** True when `value` is a valid message. */
  (value: unknown): value is T;
  /** Why `value` is not valid, bounded in length, for logs. */
  explain(value: unknown): string;
}

/** Compiles a message schema once; checking a message then costs one generated function call. */
export function compileMessageCheck<S extends TSchema>(schema: S): MessageCheck<Static<S>> {
  const validator = Compile(schema);
  const check = ((value: unknown) => validator.Check(value)) as MessageCheck<Static<S>>;
  check.explain = (value: unknown) =>
    validator
      .Errors(value)
      .slice(0, 3)
      .map((e) => `${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message}`)
      .join('; ')
      .slice(0, 1000);
  return check;
}
