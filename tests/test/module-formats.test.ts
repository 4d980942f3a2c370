import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const users = fileURLToPath(new URL('../fixtures/users/', import.meta.url));

describe('CommonJS and ESM users', () => {
  it.each(['require-user.cjs', 'import-user.mjs'])(
    '%s runs a job in a separate Node process, and the process exits by itself once every role is closed',
    async (file) => {
      // The timeout fails the test if a handle is left open and the process never exits.
      const { stdout, stderr } = await run(process.execPath, [users + file], { timeout: 20_000 });
      expect(stdout.trim()).toBe('result 3');
      expect(stderr).toBe('');
    },
  );
});
