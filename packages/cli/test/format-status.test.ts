import { describe, expect, it } from '@jest/globals';
import { formatStatus, statusJson, type NetworkStatus } from '../src/index.js';
import { formatDuration, formatRate } from '../src/status/format-status.js';

const status: NetworkStatus = {
  composer: 'composer-abc',
  epoch: 4,
  snapshot: {
    instruments: [
      { id: 'instrument-zz', threads: 8, busy: 8, held: 120 },
      { id: 'instrument-a', threads: 2, busy: 1, held: 1 },
    ],
    queued: 1500,
    running: 121,
    done: 40,
    failed: 2,
    jobsPerSecond: 12.345,
    uptimeMs: 125_000,
  },
};

describe('formatStatus', () => {
  it('sums up jobs, threads busy and free, and the composer', () => {
    const text = formatStatus(status, 'prod');
    expect(text).toContain('Namespace   prod');
    expect(text).toContain('composer-abc (lease epoch 4, acting for 2m 5s)');
    expect(text).toContain('1500 queued, 121 running, 40 done, 2 failed; 12.3 jobs/s');
    expect(text).toContain('9 busy, 1 free, 10 in all, on 2 instruments');
  });

  it('lists instruments by id in aligned columns', () => {
    const lines = formatStatus(status, 'prod').trimEnd().split('\n');
    const table = lines.slice(lines.findIndex((line) => line.startsWith('INSTRUMENT')));
    expect(table).toEqual([
      'INSTRUMENT     THREADS  BUSY  FREE  HELD',
      'instrument-a         2     1     1     1',
      'instrument-zz        8     8     0   120',
    ]);
  });

  it('says how to start an instrument when there is none', () => {
    const text = formatStatus({ ...status, snapshot: { ...status.snapshot, instruments: [] } }, 'x');
    expect(text).toContain('0 busy, 0 free, 0 in all, on 0 instruments');
    expect(text).toContain('orchestra instrument --workspace DIR');
  });

  it('never shows more busy threads than there are', () => {
    const odd = { ...status, snapshot: { ...status.snapshot, instruments: [{ id: 'i', threads: 2, busy: 5, held: 9 }] } };
    expect(formatStatus(odd, 'x')).toContain('2 busy, 0 free, 2 in all, on 1 instrument\n');
  });

  it('prints JSON flat, with namespace, composer and epoch', () => {
    expect(JSON.parse(statusJson(status, 'prod'))).toEqual({ namespace: 'prod', composer: 'composer-abc', epoch: 4, ...status.snapshot });
  });

  it('writes durations and rates as people read them', () => {
    expect([0, 59_999, 60_000, 3_600_000 + 120_000, 90_000_000].map(formatDuration)).toEqual(['0s', '59s', '1m 0s', '1h 2m', '1d 1h']);
    expect([0, 0.25, 12.345, 1234.5].map(formatRate)).toEqual(['0', '0.25', '12.3', '1235']);
  });
});
