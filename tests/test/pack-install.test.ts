import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { installMachine, installedPackages, packPackages } from './support/packed-packages.js';

const run = promisify(execFile);
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
    const tarballs = await packPackages(roles, join(root, 'tarballs'));
    expect(tarballs.size).toBe(roles.length);

    const machine = join(root, 'machine');
    mkdirSync(join(machine, 'workspace'), { recursive: true });
    writeFileSync(join(machine, 'workspace', 'package.json'), JSON.stringify({ type: 'commonjs' }));
    writeFileSync(join(machine, 'workspace', 'add.js'), addScript);
    writeFileSync(join(machine, 'app.cjs'), app);
    await installMachine(machine, [...tarballs.values()]);

    // Runtime dependencies only: nothing from the monorepo's tooling came along.
    const installed = installedPackages(machine);
    for (const dev of ['typescript', 'jest', 'turbo', '@orchestra/tests']) {
      expect(installed.has(dev)).toBe(false);
    }
    expect(installed.has('piscina')).toBe(true);

    const { stdout } = await run(process.execPath, ['app.cjs'], { cwd: machine, timeout: 30_000 });
    expect(stdout.trim()).toBe('result 3');
  }, 180_000);
});
