import { nanoid } from 'nanoid';

/**
 * Makes job ids for one consumer instance: a random prefix of its own (nanoid, 16 characters) and a
 * counter, `<prefix>.<n>` in base 36. Unique without coordination between machines, cheap to
 * make, and the consumer can tell its own ids from those of an earlier process with the same id.
 */
export class JobIds {
  readonly prefix = `${nanoid(16)}.`;
  #next = 0;

  next(): string {
    const id = this.prefix + this.#next.toString(36);
    this.#next += 1;
    return id;
  }

  /** Whether `id` was made by this instance. */
  made(id: string): boolean {
    return id.startsWith(this.prefix);
  }
}

/** A new id for a role instance (instrument, consumer, composer). */
export function newRoleId(role: string): string {
  return `${role}-${nanoid(12)}`;
}
