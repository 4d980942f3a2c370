import { nanoid } from 'nanoid';

/** A new job id: 21 URL-safe characters (nanoid), unique without coordination between machines. */
export function newJobId(): string {
  return nanoid();
}

/** A new id for a role instance (instrument, consumer, composer). */
export function newRoleId(role: string): string {
  return `${role}-${nanoid(12)}`;
}
