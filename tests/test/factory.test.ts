import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { InvalidArgumentError } from '@orchestra/core';
import { ThreadFactory } from '@orchestra/factory';
import { RedisRoles, uniqueNamespace, type InstrumentsEvent } from './support/redis-roles.js';
import { events, expectDocumentOrder } from './support/factory-events.js';
import { redisForRoles } from './support/redis-for-roles.js';

const run = promisify(execFile);
const factoryDir = fileURLToPath(new URL('../fixtures/factory', import.meta.url));

/** `files` gzipped ld-json files of 2,000 lines each; every 100th line has error 505. */
function logFiles(files: number): { dir: string; names: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'orchestra-factory-in-'));
  const names: string[] = [];
  for (let f = 0; f < files; f += 1) {
    const lines = Array.from({ length: 2_000 }, (_, i) => JSON.stringify({ f, i, error: i % 100 === 0 ? 505 : 200 }));
    const name = `log-${String(f).padStart(2, '0')}.ldjson.gz`;
    writeFileSync(join(dir, name), gzipSync(`${lines.join('\n')}\n`));
    names.push(name);
  }
  return { dir, names };
}

function outputLines(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => readFileSync(join(dir, name), 'utf8').trim().split('\n').filter(Boolean));
}

describe('ThreadFactory: the thread-factory document on Orchestra', () => {
  it('runs the document’s example, in one file with only the require line changed: every item once, hooks and events in order', async () => {
    const { dir, names } = logFiles(12);
    const out = mkdtempSync(join(tmpdir(), 'orchestra-factory-out-'));
    const eventsFile = join(out, '..', `${String(Date.now())}-events.jsonl`);
    const { stdout } = await run(process.execPath, [join(factoryDir, 'scan-logs.cjs'), dir, out, eventsFile, '2'], { timeout: 60_000 });
    expect(stdout.trim()).toBe('finished');
    const seen = events(eventsFile);
    expectDocumentOrder(seen, names, 2);
    // Both threads worked, each writing its own output file, and every 505 line was found once.
    expect(readdirSync(out).sort()).toEqual([...new Set(seen.filter((e) => e.event === 'workerProcess').map((e) => `output-${String(e.resume)}.ldjson`))].sort());
    const lines = outputLines(out);
    expect(lines).toHaveLength(12 * 20);
    expect(new Set(lines).size).toBe(lines.length);
    expect(seen.at(-1)).toMatchObject({ event: 'finished', summary: { items: 12, completed: 12, failed: 0 } });
  }, 90_000);

  it('emits error for a failing item (with the item) while the others carry on, then finished with the failure counted', async () => {
    const eventsFile = join(mkdtempSync(join(tmpdir(), 'orchestra-factory-')), 'events.jsonl');
    await run(process.execPath, [join(factoryDir, 'outcomes.cjs'), 'item-fails', eventsFile], { timeout: 60_000 });
    const seen = events(eventsFile);
    expect(seen.filter((e) => e.event === 'completed').map((e) => e['item']).sort()).toEqual([1, 2, 4, 5, 6]);
    expect(seen.filter((e) => e.event === 'completed').map((e) => e['result']).sort((a, b) => Number(a) - Number(b))).toEqual([10, 20, 40, 50, 60]);
    expect(seen.filter((e) => e.event === 'error')).toEqual([{ event: 'error', name: 'TypeError', message: 'item 3 is bad', item: 3, index: 2 }]);
    expect(seen.at(-1)).toMatchObject({ event: 'finished', summary: { items: 6, completed: 5, failed: 1, failures: [2] } });
  }, 60_000);

  it('passes attempts and timeout on to every item', async () => {
    const eventsFile = join(mkdtempSync(join(tmpdir(), 'orchestra-factory-')), 'events.jsonl');
    await run(process.execPath, [join(factoryDir, 'outcomes.cjs'), 'retry-and-timeout', eventsFile], { timeout: 60_000 });
    const seen = events(eventsFile);
    // Item 3 succeeded on its second run; item 6 timed out on both.
    expect(seen.filter((e) => e.event === 'completed').map((e) => [e['item'], e['result']]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [1, 11],
      [2, 21],
      [3, 32],
      [4, 41],
      [5, 51],
    ]);
    expect(seen.filter((e) => e.event === 'error')).toEqual([expect.objectContaining({ name: 'JobTimeoutError', item: 6 })]);
    expect(seen.at(-1)).toMatchObject({ event: 'finished', summary: { items: 6, completed: 5, failed: 1 } });
  }, 60_000);

  it('emits error and then finished when the manager rejects, or resolves something other than an array', async () => {
    for (const [mode, name, message] of [
      ['manager-rejects', 'RangeError', 'no list today'],
      ['manager-not-array', 'InvalidArgumentError', 'ThreadFactory: manager must resolve an array of items, got object'],
    ] as const) {
      const eventsFile = join(mkdtempSync(join(tmpdir(), 'orchestra-factory-')), 'events.jsonl');
      await run(process.execPath, [join(factoryDir, 'outcomes.cjs'), mode, eventsFile], { timeout: 60_000 });
      const seen = events(eventsFile);
      expect(seen.map((e) => e.event)).toEqual(['error', 'finished']);
      expect(seen[0]).toMatchObject({ name, message });
      expect(seen[1]).toMatchObject({ summary: { items: 0, completed: 0, failed: 0 } });
    }
  }, 60_000);

  it('refuses a bad spec with a clear, typed error', () => {
    const manager = (): Promise<number[]> => Promise.resolve([1]);
    const one = (): Promise<number> => Promise.resolve(1);
    const bad: [unknown, string][] = [
      [undefined, 'takes a spec'],
      [{}, 'manager must be a function'],
      [{ manager: [1, 2] }, 'manager must be a function'],
      [{ manager }, 'workerProcess (or worker) must be a function'],
      [{ manager, workerProcess: 'run' }, 'workerProcess must be a function'],
      [{ manager, worker: one, workerFinish: 7 }, 'workerFinish must be a function'],
      [{ manager, worker: one, workerProcess: () => Promise.resolve(2) }, 'not both'],
    ];
    for (const [spec, message] of bad) {
      expect(() => new ThreadFactory(spec as never)).toThrow(InvalidArgumentError);
      expect(() => new ThreadFactory(spec as never)).toThrow(message);
    }
    expect(() => new ThreadFactory({ manager, worker: (n: number) => n }, { threads: 0 })).toThrow(InvalidArgumentError);
  });

  describe('over a RedisNetwork', () => {
    const redis = redisForRoles();

    it('spreads a batch over two instrument processes whose workspace holds the same file', async () => {
      const ns = uniqueNamespace('factory');
      const roles = new RedisRoles(redis.processes, redis.server().url, ns);
      const composer = roles.composer();
      await composer.waitFor('ready');
      const instruments = [1, 2].map((i) => roles.instrument(`instrument-${i}`, { workspace: factoryDir }));
      await Promise.all(instruments.map((instrument) => instrument.waitFor('ready')));
      await composer.waitFor<InstrumentsEvent>('instruments', (event) => event.count === 2);
      const { dir, names } = logFiles(16);
      const out = join(mkdtempSync(join(tmpdir(), 'orchestra-factory-')), 'out');
      mkdirSync(out);
      const eventsFile = join(out, '..', 'events.jsonl');
      await run(process.execPath, [join(factoryDir, 'scan-redis.cjs'), redis.server().url, ns, eventsFile, out, ...names.map((name) => join(dir, name))], {
        timeout: 60_000,
      });
      const seen = events(eventsFile);
      const completed = seen.filter((e) => e.event === 'completed');
      expect(completed.map((e) => e['file']).sort()).toEqual([...names].sort());
      expect(new Set(completed.map((e) => e['pid']))).toEqual(new Set(instruments.map((instrument) => instrument.pid)));
      expect(seen.at(-1)).toMatchObject({ event: 'finished', items: 16, completed: 16, failed: 0 });
      expect(outputLines(out)).toHaveLength(16 * 20);
      await Promise.all([...instruments, composer].map((role) => role.stop()));
    }, 90_000);
  });
});
