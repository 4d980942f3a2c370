import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { queryStatus } from '@orchestra/cli';
import { Consumer } from '@orchestra/consumer';
import { JobOutOfMemoryError, Workspace } from '@orchestra/core';
import { waitUntil } from '@orchestra/network-conformance';
import { RedisNetwork } from '@orchestra/network-redis';
import { freePort, startRedisServer, type RedisServer } from '@orchestra/redis-server';
import { Redis } from 'ioredis';
import { fixtureRoot } from './support/orchestra.js';

// The installed command: bin/orchestra.js, which loads the built program from dist/.
const bin = join(dirname(createRequire(import.meta.url).resolve('@orchestra/cli/package.json')), 'bin', 'orchestra.js');

/** Bounds for waiting on child processes; generous, since each one starts a Node.js and loads the roles. */
const START_MS = 20_000;
const EXIT_MS = 20_000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `orchestra` process, its output collected as it comes. */
interface CliProcess {
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** What it wrote to stdout so far. */
  stdout(): string;
  /** Resolves with the first stdout line matching `pattern`; rejects if it exits first or after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves once it has exited; rejects after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<Exit>;
}

const children = new Set<ChildProcess>();

/** Starts `orchestra <args>` with ORCHESTRA_* taken only from `env`. */
function startCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const childEnv: Record<string, string | undefined> = { ...process.env, ORCHESTRA_REDIS_URL: undefined, ORCHESTRA_NAMESPACE: undefined, ...env };
  const child = spawn(process.execPath, [bin, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  let stdout = '';
  const lines: string[] = [];
  const lineListeners = new Set<(line: string) => void>();
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    lines.push(line);
    stdout += `${line}\n`;
    output += `${line}\n`;
    for (const listener of lineListeners) listener(line);
  });
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  // stdout and stderr are read to their end (not just to the exit), so no output is missed.
  const closed = new Promise<Exit>((resolve) => child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal })));
  const bounded = <T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new RangeError(`orchestra ${args.join(' ')}: ${what} within ${timeoutMs} ms. Output:\n${output}`)), timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  };
  return {
    child,
    output: () => output,
    stdout: () => stdout,
    waitForLine(pattern, timeoutMs = START_MS) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      let listener: ((line: string) => void) | undefined;
      const found = new Promise<string>((resolve, reject) => {
        listener = (line) => pattern.test(line) && resolve(line);
        lineListeners.add(listener);
        void exit.then(({ code, signal }) => reject(new RangeError(`exited (${String(code ?? signal)}) before printing ${String(pattern)}:\n${output}`)));
      });
      return bounded(found, timeoutMs, `no line ${String(pattern)}`).finally(() => listener && lineListeners.delete(listener));
    },
    exited: (timeoutMs = EXIT_MS) => bounded(closed, timeoutMs, 'did not exit'),
  };
}

/** Runs `orchestra <args>` to its end: its exit code, its stdout, and all its output (stdout and stderr). */
async function runCli(args: readonly string[], env: Record<string, string> = {}, timeoutMs = EXIT_MS) {
  const cli = startCli(args, env);
  const { code } = await cli.exited(timeoutMs);
  return { code, stdout: cli.stdout(), output: cli.output() };
}

let server: RedisServer;
let admin: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  admin.disconnect();
  await server.stop();
});

describe('the orchestra command', () => {
  it('runs jobs through `orchestra composer` and `orchestra instrument`; `orchestra status` shows them; SIGTERM stops both', async () => {
    const ns = 'cli-run';
    const composer = startCli(['composer', '--redis', server.url, '--namespace', ns, '--id', 'composer-e2e']);
    await composer.waitForLine(/^orchestra composer: started; id composer-e2e, namespace cli-run/);
    // The instrument finds its Redis and namespace through the environment.
    const instrument = startCli(['instrument', '--workspace', fixtureRoot, '--threads', '2', '--id', 'instrument-e2e'], {
      ORCHESTRA_REDIS_URL: server.url,
      ORCHESTRA_NAMESPACE: ns,
    });
    await instrument.waitForLine(/^orchestra instrument: started; id instrument-e2e, namespace cli-run, 2 threads/);

    const network = new RedisNetwork(server.url, { namespace: ns });
    const consumer = new Consumer(network, new Workspace(fixtureRoot));
    try {
      const added = await Promise.all(Array.from({ length: 40 }, (_, i) => consumer.addJob('add.js', { a: i, b: 1 })));
      expect(await Promise.all(added.map((a) => a.result))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      const failing = await Promise.all([consumer.addJob('fail.cjs', {}), consumer.addJob('fail.cjs', {})]);
      for (const { result } of failing) await expect(result).rejects.toThrow('quota exceeded');

      const json = await runCli(['status', '--json', '--redis', server.url, '--namespace', ns]);
      expect(json.code).toBe(0);
      const status = JSON.parse(json.stdout) as Record<string, unknown>;
      expect(status).toMatchObject({ namespace: ns, composer: 'composer-e2e', queued: 0, running: 0, done: 40, failed: 2 });
      expect(status['instruments']).toEqual([{ id: 'instrument-e2e', threads: 2, busy: 0, held: 0 }]);
      expect(status['jobsPerSecond']).toBeGreaterThan(0);
      expect(status['uptimeMs']).toBeGreaterThan(0);

      const human = await runCli(['status'], { ORCHESTRA_REDIS_URL: server.url, ORCHESTRA_NAMESPACE: ns });
      expect(human.code).toBe(0);
      expect(human.output).toContain('Namespace   cli-run');
      expect(human.output).toContain('0 queued, 0 running, 40 done, 2 failed;');
      expect(human.output).toContain('jobs/s');
      expect(human.output).toContain('0 busy, 2 free, 2 in all, on 1 instrument');
      expect(human.output).toMatch(/instrument-e2e +2 +0 +2 +0/);

      instrument.child.kill('SIGTERM');
      expect(await instrument.exited()).toEqual({ code: 0, signal: null });
      expect(instrument.output()).toContain('orchestra instrument: stopping (SIGTERM)');
      expect(instrument.output()).toContain('orchestra instrument: stopped');
      // It said goodbye: the composer no longer counts it.
      expect((await queryStatus(network, { timeoutMs: 5_000 })).snapshot.instruments).toEqual([]);

      expect(await admin.exists(`orchestra:{${ns}}:lease:composer`)).toBe(1);
      composer.child.kill('SIGTERM');
      expect(await composer.exited()).toEqual({ code: 0, signal: null });
      expect(composer.output()).toContain('orchestra composer: stopped');
      // It released its lease, so a standby could take over at once.
      expect(await admin.exists(`orchestra:{${ns}}:lease:composer`)).toBe(0);
      // Status requests leave no observer mailbox behind.
      expect(await admin.keys(`orchestra:{${ns}}:mailbox:observer.*`)).toEqual([]);
    } finally {
      await consumer.close();
      await network.close();
    }
  });

  it('reports busy threads while jobs run; a second signal ends a graceful stop at once with code 130', async () => {
    const ns = 'cli-busy';
    const env = { ORCHESTRA_REDIS_URL: server.url, ORCHESTRA_NAMESPACE: ns };
    const composer = startCli(['composer'], env);
    await composer.waitForLine(/^orchestra composer: started/);
    const instrument = startCli(['instrument', '--workspace', fixtureRoot, '--threads', '2'], env);
    const started = await instrument.waitForLine(/^orchestra instrument: started/);
    const instrumentId = /id (\S+),/.exec(started)?.[1];

    const network = new RedisNetwork(server.url, { namespace: ns });
    const consumer = new Consumer(network, new Workspace(fixtureRoot));
    try {
      // Two jobs that hold both threads far longer than this test lasts.
      for (let i = 0; i < 2; i += 1) void (await consumer.addJob('spin.cjs', { ms: 60_000 })).result.catch(() => undefined);
      await waitUntil(async () => {
        const { snapshot } = await queryStatus(network, { timeoutMs: 5_000 });
        return snapshot.instruments.length === 1 && snapshot.instruments[0]?.busy === 2 && snapshot.running === 2;
      }, 'status shows both threads busy');
      const busy = await runCli(['status'], env);
      expect(busy.output).toContain('2 busy, 0 free, 2 in all, on 1 instrument');
      expect(busy.output).toMatch(new RegExp(`${instrumentId ?? '?'} +2 +2 +0 +2`));

      // A graceful stop waits for the running jobs; the second signal does not.
      instrument.child.kill('SIGTERM');
      await instrument.waitForLine(/^orchestra instrument: stopping \(SIGTERM\)/);
      instrument.child.kill('SIGINT');
      expect(await instrument.exited(10_000)).toEqual({ code: 130, signal: null });
      expect(instrument.output()).not.toContain('orchestra instrument: stopped');

      composer.child.kill('SIGINT');
      expect(await composer.exited()).toEqual({ code: 0, signal: null });
    } finally {
      await consumer.close();
      await network.close();
    }
  });

  it('bounds each thread\'s heap with --max-old-generation-mb: a greedy job fails with JobOutOfMemoryError, across Redis', async () => {
    const ns = 'cli-memory';
    const env = { ORCHESTRA_REDIS_URL: server.url, ORCHESTRA_NAMESPACE: ns };
    const composer = startCli(['composer'], env);
    await composer.waitForLine(/^orchestra composer: started/);
    const instrument = startCli(['instrument', '--workspace', fixtureRoot, '--threads', '2', '--max-old-generation-mb', '32'], env);
    await instrument.waitForLine(/^orchestra instrument: started; .*, 2 threads of at most 32 MB heap each, /);

    const network = new RedisNetwork(server.url, { namespace: ns });
    const consumer = new Consumer(network, new Workspace(fixtureRoot));
    try {
      const greedy = await consumer.addJob('eat-memory.cjs', {});
      const after = await consumer.addJob('add.js', { a: 40, b: 2 });
      const error: unknown = await greedy.result.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JobOutOfMemoryError);
      expect((error as Error).message).toContain('ran out of memory: over maxOldGenerationSizeMb (32 MB) of its thread');
      await expect(after.result).resolves.toBe(42);

      instrument.child.kill('SIGTERM');
      expect(await instrument.exited()).toEqual({ code: 0, signal: null });
      composer.child.kill('SIGTERM');
      expect(await composer.exited()).toEqual({ code: 0, signal: null });
    } finally {
      await consumer.close();
      await network.close();
    }
  });

  it('shows help, and refuses a wrong command line with the usage and code 2', async () => {
    const [help, instrumentHelp, wrong, missing, tooSmall] = await Promise.all([
      runCli(['--help']),
      runCli(['instrument', '--help']),
      runCli(['status', '--bogus']),
      runCli(['instrument']),
      runCli(['instrument', '--workspace', fixtureRoot, '--max-old-generation-mb', '8']),
    ]);
    expect(help.code).toBe(0);
    for (const word of ['composer', 'instrument', 'status', '--redis', '--namespace', 'ORCHESTRA_REDIS_URL']) expect(help.output).toContain(word);
    expect(instrumentHelp.code).toBe(0);
    expect(instrumentHelp.output).toContain('--workspace DIR');
    expect(instrumentHelp.output).toContain('--threads N');
    expect(instrumentHelp.output).toContain('--max-old-generation-mb N');
    expect(wrong.code).toBe(2);
    expect(wrong.output).toContain("orchestra: unknown option '--bogus'");
    expect(wrong.output).toContain('Usage: orchestra status');
    expect(missing.code).toBe(2);
    expect(missing.output).toContain('--workspace DIR is required');
    expect(tooSmall.code).toBe(2);
    expect(tooSmall.output).toContain('--max-old-generation-mb must be a whole number from 16');
  });

  it('fails fast with a clear message when Redis cannot be reached', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const started = Date.now();
    const runs = await Promise.all([
      runCli(['composer', '--redis', url, '--connect-timeout', '1000']),
      runCli(['instrument', '--workspace', fixtureRoot, '--redis', url, '--connect-timeout', '1000']),
      runCli(['status', '--connect-timeout', '1000'], { ORCHESTRA_REDIS_URL: url }),
    ]);
    expect(Date.now() - started).toBeLessThan(15_000);
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(run.output).toContain(`orchestra: cannot reach Redis at ${url}`);
    }
  });

  it('says so, with code 1, when no composer answers a status request', async () => {
    const ns = 'cli-nobody';
    const { code, output } = await runCli(['status', '--timeout', '500', '--redis', server.url, '--namespace', ns]);
    expect(code).toBe(1);
    expect(output).toContain('orchestra: no composer answered on namespace cli-nobody');
    expect(await admin.keys(`orchestra:{${ns}}:mailbox:observer.*`)).toEqual([]);
  });
});
