import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from '@jest/globals';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

it('loads TypeBox only once a schema must be checked: importing @orchestra/core and its runtime does not', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'orchestra-typebox-'));
  const log = join(folder, 'log');
  try {
    // A process of its own, on the built package (what worker threads and programs load).
    await promisify(execFile)(process.execPath, ['--import', join(fixtures, 'register-typebox-recorder.mjs'), join(fixtures, 'load-core.mjs')], {
      cwd: fixtures,
      env: { ...process.env, TYPEBOX_LOG: log },
    });
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    const imported = lines.indexOf('imported');
    expect(imported).toBe(0);
    // Then the schema check loaded TypeBox's compiler and refused the params.
    expect(lines.slice(1).some((line) => line.includes('/typebox/build/compile/'))).toBe(true);
    expect(lines.at(-1)).toBe('checked: ParamsValidationError');
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
