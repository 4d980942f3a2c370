import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { events, expectDocumentOrder } from './support/factory-events.js';
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

  it('install @orchestra/factory with npm and run the document’s example, only its require line changed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'orchestra-pack-factory-'));
    const tarballs = await packPackages([...roles, 'factory'], join(root, 'tarballs'));
    const machine = join(root, 'machine');
    mkdirSync(machine, { recursive: true });
    copyFileSync(fileURLToPath(new URL('../fixtures/factory/scan-logs.cjs', import.meta.url)), join(machine, 'scan-logs.cjs'));
    writeFileSync(join(machine, 'package.json'), JSON.stringify({ name: 'scan', private: true, type: 'commonjs' }));
    await installMachine(machine, [...tarballs.values()]);
    const input = join(root, 'in');
    const output = join(root, 'out');
    mkdirSync(input);
    mkdirSync(output);
    for (let f = 0; f < 6; f += 1) {
      const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ f, i, error: i % 50 === 0 ? 505 : 200 }));
      writeFileSync(join(input, `log-${f}.ldjson.gz`), gzipSync(`${lines.join('\n')}\n`));
    }
    const eventsFile = join(root, 'events.jsonl');
    const { stdout } = await run(process.execPath, ['scan-logs.cjs', input, output, eventsFile, '2'], { cwd: machine, timeout: 60_000 });
    expect(stdout.trim()).toBe('finished');
    const found = readdirSync(output).flatMap((name) => readFileSync(join(output, name), 'utf8').trim().split('\n'));
    expect(found).toHaveLength(6 * 10);
    const seen = events(eventsFile);
    expectDocumentOrder(
      seen,
      Array.from({ length: 6 }, (_, f) => `log-${f}.ldjson.gz`),
      2,
    );
    expect(seen.at(-1)).toMatchObject({ event: 'finished', summary: { items: 6, completed: 6, failed: 0 } });
  }, 180_000);
});
