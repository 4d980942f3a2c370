import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { fixtureWorkspace, oneMachine } from './support/orchestra.js';

describe('a real thread pool', () => {
  it('runs concurrent CPU-bound jobs on distinct threads, never more than maxWorkers', async () => {
    const net = oneMachine(fixtureWorkspace(), 2);
    try {
      const added = await Promise.all(Array.from({ length: 6 }, () => net.consumer.addJob('spin.cjs', { ms: 150 })));
      const threadIds = await Promise.all(added.map((a) => a.result));
      const distinct = new Set(threadIds);
      expect(distinct.size).toBe(2);
      expect(threadIds.every((id) => typeof id === 'number' && id > 0)).toBe(true);
    } finally {
      await net.close();
    }
  });

  it('runs startup once per thread before its first job, and finish once per thread at close', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'orchestra-hooks-')), 'hooks.log');
    appendFileSync(log, '');
    const net = oneMachine(fixtureWorkspace(), 2);
    const added = await Promise.all(Array.from({ length: 50 }, (_, n) => net.consumer.addJob('hooks.mjs', { n, log })));
    expect(await Promise.all(added.map((a) => a.result))).toEqual(Array.from({ length: 50 }, (_, n) => n * 2));
    await net.close();
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' '));
    const byThread = new Map<string, string[]>();
    for (const [what, thread] of lines) byThread.set(thread as string, [...(byThread.get(thread as string) ?? []), what as string]);
    expect(lines.filter(([what]) => what === 'process')).toHaveLength(50);
    for (const events of byThread.values()) {
      expect(events[0]).toBe('startup');
      expect(events.at(-1)).toBe('finish');
      expect(events.filter((e) => e === 'startup')).toHaveLength(1);
      expect(events.filter((e) => e === 'finish')).toHaveLength(1);
    }
  });
});
