/** What a value is called at the top of its path: a job's params, its result, or one progress value. */
export type JsonRoot = 'params' | 'result' | 'progress';

const identifier = /^[A-Za-z_$][\w$]*$/;

/**
 * A path into a value as a reader would write it in JavaScript: `params.items[3]`,
 * `result["a b"]`. Keys that are not identifiers are quoted as JSON strings, so any key reads back.
 */
export function formatPath(root: JsonRoot, keys: readonly (string | number)[]): string {
  let path: string = root;
  for (const key of keys) {
    if (typeof key === 'number') path += `[${key}]`;
    else path += identifier.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  }
  return path;
}
