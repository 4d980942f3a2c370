import { cpSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRedisServer, type RedisServer } from '@orchestra/redis-server';
import { installMachine, installedPackages, packPackages } from './support/packed-packages.js';
import {
  RedisRoles,
  uniqueNamespace,
  type ComposerReport,
  type ConsumerReport,
  type InstrumentReport,
  type InstrumentsEvent,
  type Machine,
  type ReadyEvent,
} from './support/redis-roles.js';
import { RoleProcesses, processesDir, workspaceDir, type RoleProcess } from './support/role-process.js';

/** What each machine installs, and so the only Orchestra packages it may hold. */
const machines = {
  composer: ['@orchestra/composer', '@orchestra/core', '@orchestra/network-redis'],
  worker: ['@orchestra/core', '@orchestra/instrument', '@orchestra/network-redis'],
  app: ['@orchestra/consumer', '@orchestra/core', '@orchestra/network-redis'],
} as const;
type MachineName = keyof typeof machines;

/** Nothing from the monorepo's tooling or tests belongs on any machine. */
const tooling = ['typescript', 'jest', 'ts-jest', 'turbo', 'eslint', 'bullmq'];

describe('role-only installs: each machine installs only its role, and the network runs from those folders', () => {
  let server: RedisServer;
  let root: string;
  const folders = {} as Record<MachineName, string>;
  const processes = new RoleProcesses();

  beforeAll(async () => {
    server = await startRedisServer();
    root = realpathSync(mkdtempSync(join(tmpdir(), 'orchestra-roles-')));
    const names = ['core', 'composer', 'instrument', 'consumer', 'network-redis'];
    const tarballs = await packPackages(names, join(root, 'tarballs'));
    const tarball = (name: string): string => tarballs.get(name.replace('@orchestra/', '')) as string;
    await Promise.all(
      (Object.keys(machines) as MachineName[]).map(async (name) => {
        folders[name] = join(root, `${name}-machine`);
        await installMachine(folders[name], machines[name].map(tarball));
        // The role scripts, copied, load the packages from this folder's node_modules.
        cpSync(processesDir, join(folders[name], 'roles'), { recursive: true });
      }),
    );
  }, 240_000);

  afterAll(async () => {
    await processes.killAll();
    await server?.stop();
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it.each(Object.keys(machines) as MachineName[])('the %s machine holds the packages of its role and nothing else of Orchestra', (name) => {
    const installed = installedPackages(folders[name]);
    expect([...installed].filter((pkg) => pkg.startsWith('@orchestra/')).sort()).toEqual([...machines[name]]);
    // Threads run only on workers: the composer and the app server have no Piscina.
    expect(installed.has('piscina')).toBe(name === 'worker');
    expect(installed.has('ioredis')).toBe(true);
    for (const tool of tooling) expect(installed.has(tool)).toBe(false);
  });

  it('runs a composer, two instruments and two consumers from those folders, each with its own workspace copy, every result right', async () => {
    const jobs = 1_000;
    // Jobs name scripts relative to the workspace, so each machine keeps its copy where it likes.
    const workspaceAt = (machine: MachineName, ...path: string[]): string => {
      const copy = join(folders[machine], ...path);
      cpSync(workspaceDir, copy, { recursive: true });
      return copy;
    };
    const from = (machine: MachineName, workspace: string): Machine => ({ scripts: join(folders[machine], 'roles'), cwd: folders[machine], workspace });
    const workerA = from('worker', workspaceAt('worker', 'srv', 'jobs'));
    const workerB = from('worker', workspaceAt('worker', 'opt', 'orchestra', 'workspace'));
    const app = from('app', workspaceAt('app', 'app', 'scripts'));
    const roles = new RedisRoles(processes, server.url, uniqueNamespace('roles'));

    const composer = roles.composer({ scripts: join(folders.composer, 'roles'), cwd: folders.composer });
    const instruments = [roles.instrument('instrument-a', workerA), roles.instrument('instrument-b', workerB)];
    const ready = await Promise.all([composer, ...instruments].map((role) => role.waitFor<ReadyEvent>('ready')));
    await composer.waitFor<InstrumentsEvent>('instruments', (event) => event.count === 2);
    // Imperative (loads @orchestra/core from the worker's install) and handler scripts.
    const consumers = [
      roles.consumer('consumer-1', app, { index: 1, jobs, script: 'add-pid-imperative.cjs', progressEvery: 500 }),
      roles.consumer('consumer-2', app, { index: 2, jobs, script: 'add-pid.cjs', progressEvery: 500 }),
    ];
    ready.push(...(await Promise.all(consumers.map((role) => role.waitFor<ReadyEvent>('ready')))));

    // Each role loaded every Orchestra package from its own machine's folder, never from the repo.
    const machineOf = [folders.composer, folders.worker, folders.worker, folders.app, folders.app];
    ready.forEach((event, i) => {
      for (const url of Object.values(event.packages)) expect(url.startsWith(pathToFileURL(`${machineOf[i] as string}/node_modules/`).href)).toBe(true);
    });
    expect(ready.slice(1).map((event) => event.workspace)).toEqual([workerA.workspace, workerB.workspace, app.workspace, app.workspace]);

    await Promise.all(consumers.map((consumer) => consumer.waitFor('settled', () => true, 45_000)));
    const reports = await Promise.all(consumers.map((consumer) => consumer.stop<ConsumerReport>()));
    for (const report of reports) {
      expect(report.firstProblem).toBeUndefined();
      expect(report).toMatchObject({ added: jobs, settled: jobs, wrong: 0, failed: 0, delivered: jobs, duplicates: 0, foreign: 0, missing: 0 });
      expect(report.bands).toEqual({ [String(report.index)]: jobs });
    }
    const ranBy = (instrument: RoleProcess): number => reports.reduce((sum, report) => sum + (report.byPid[String(instrument.pid)] ?? 0), 0);
    const instrumentReports = await Promise.all(instruments.map((instrument) => instrument.stop<InstrumentReport>()));
    instruments.forEach((instrument, i) => {
      expect(ranBy(instrument)).toBeGreaterThan(0);
      expect(instrumentReports[i]?.stats.settled).toBe(ranBy(instrument));
    });
    const composerReport = await composer.stop<ComposerReport>();
    expect(composerReport.stats).toMatchObject({ settled: 2 * jobs, invalidMessages: 0 });
  }, 60_000);
});
