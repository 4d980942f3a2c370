import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const packagesDir = fileURLToPath(new URL('../../packages/', import.meta.url));
const roles = ['core', 'network-mem', 'composer', 'instrument', 'consumer'];

const app = `
const { join } = require('node:path');
const { Workspace } = require('@orchestra/core');
const { MemNetwork } = require('@orchestra/network-mem');
const { Composer } = require('@orchestra/composer');
const { Instrument } = require('@orchestra/instrument');
const { Consumer } = require('@orchestra/consumer');
(async () => {
  const network = new MemNetwork();
  const workspace = new Workspace(join(__dirname, 'workspace'));
  const composer = new Composer(network);
  const instrument = new Instrument(network, workspace, 2);
  const consumer = new Consumer(network, workspace);
  const { result } = await consumer.addJob('add.js', { a: 1, b: 2 });
  console.log('result ' + (await result));
  await consumer.close(); await instrument.close(); await composer.close(); await network.close();
})();
`;

const addScript = `
const { Worker } = require('@orchestra/core');
const worker = new Worker();
worker.resolve(worker.params.a + worker.params.b);
`;

describe('packed packages', () => {
  it('install with npm into an empty folder and run a job from CommonJS', async () => {
    const root = mkdtempSync(join(tmpdir(), 'orchestra-pack-'));
    const tarballs = join(root, 'tarballs');
    mkdirSync(tarballs);
    for (const role of roles) {
      await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(packagesDir, role) });
    }
    const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
    expect(files).toHaveLength(roles.length);

    const machine = join(root, 'machine');
    mkdirSync(join(machine, 'workspace'), { recursive: true });
    writeFileSync(join(machine, 'package.json'), JSON.stringify({ name: 'one-machine', private: true }));
    writeFileSync(join(machine, 'workspace', 'package.json'), JSON.stringify({ type: 'commonjs' }));
    writeFileSync(join(machine, 'workspace', 'add.js'), addScript);
    writeFileSync(join(machine, 'app.cjs'), app);
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files.map((f) => join(tarballs, f))], {
      cwd: machine,
    });

    // Runtime dependencies only: nothing from the monorepo's tooling came along.
    for (const dev of ['typescript', 'jest', 'turbo', '@orchestra/tests']) {
      expect(existsSync(join(machine, 'node_modules', dev))).toBe(false);
    }
    expect(existsSync(join(machine, 'node_modules', 'piscina'))).toBe(true);

    const { stdout } = await run(process.execPath, ['app.cjs'], { cwd: machine, timeout: 30_000 });
    expect(stdout.trim()).toBe('result 3');
  }, 180_000);
});
