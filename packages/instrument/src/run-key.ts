/**
 * The key of one run of a job: a job runs again after a crash or a retry under a new attempt, and
 * what is remembered of one run (a stop ordered for it) must not touch another. The one place the
 * key is built.
 */
export function runKey(id: string, attempt: number): string {
  return `${id}#${attempt}`;
}
