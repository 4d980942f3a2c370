import { describe, expect, it } from '@jest/globals';
import { TermHarness } from './support/term-harness.js';

const boom = { name: 'Error', message: 'boom' };
const ids = (jobs: { id: string }[] | undefined): string[] => (jobs ?? []).map((job) => job.id);

describe('ActingTerm: dispatch', () => {
  it('hands out higher priority first, first in first out within a priority', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a' }, { id: 'b', priority: 5 }, { id: 'c' }, { id: 'd', priority: 5 }, { id: 'e', priority: -1 }]);
    t.hello('i1', 5);
    expect(ids(t.flush().assigned['i1'])).toEqual(['b', 'd', 'a', 'c', 'e']);
  });

  it('sends no more than an instrument has credits for, and the rest as credits come back', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    t.hello('i1', 2);
    expect(ids(t.flush().assigned['i1'])).toEqual(['a', 'b']);
    expect(t.term).toMatchObject({ queued: 1, running: 2 });
    t.handle({ type: 'credit', instrument: 'i1', threads: 2, credits: 1 });
    expect(ids(t.flush().assigned['i1'])).toEqual(['c']);
    expect(t.flush().assigned).toEqual({});
  });

  it('shares the queue between instruments in proportion to their credits', () => {
    const t = new TermHarness();
    t.hello('big', 6);
    t.hello('small', 2);
    t.submit(['a', 'b', 'c', 'd'].map((id) => ({ id })));
    const { assigned } = t.flush();
    expect(assigned['big']).toHaveLength(3);
    expect(assigned['small']).toHaveLength(1);
  });

  it('does not always serve the same instrument first when jobs are fewer than instruments', () => {
    const t = new TermHarness();
    t.hello('i1', 1);
    t.hello('i2', 1);
    const firsts = new Set<string>();
    for (const id of ['a', 'b', 'c', 'd']) {
      t.submit([{ id }]);
      const [instrument = ''] = Object.keys(t.flush().assigned);
      firsts.add(instrument);
      t.done(instrument, [{ id, attempt: 1, ok: true }]);
      t.flush();
    }
    expect([...firsts].sort()).toEqual(['i1', 'i2']);
  });

  it('queues a job submitted again once, held by the newest submission', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a' }]);
    t.submit([{ id: 'a' }]);
    expect(t.released).toEqual([0]);
    t.hello('i1', 4);
    expect(ids(t.flush().assigned['i1'])).toEqual(['a']);
    t.done('i1', [{ id: 'a', attempt: 1, ok: true }]);
    expect(t.flush().settled['c1']).toEqual([{ id: 'a', ok: true }]);
    expect(t.released).toEqual([0, 1]);
  });
});

describe('ActingTerm: settlement', () => {
  it('routes each settlement to its consumer and releases the submission once all its jobs settled and were sent', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a' }, { id: 'b' }], 'c1');
    t.submit([{ id: 'x' }], 'c2');
    t.hello('i1', 3);
    t.flush();
    t.done('i1', [{ id: 'a', attempt: 1, ok: true, result: '1' }]);
    expect(t.flush().settled).toEqual({ c1: [{ id: 'a', ok: true, result: '1' }] });
    expect(t.released).toEqual([]);
    t.done('i1', [
      { id: 'b', attempt: 1, ok: false, error: { name: 'ParamsValidationError', message: 'no', code: 'ORCHESTRA_PARAMS_INVALID' } },
      { id: 'x', attempt: 1, ok: true },
    ]);
    const out = t.flush();
    expect(out.settled['c1']?.map((s) => [s.id, s.ok])).toEqual([['b', false]]);
    expect(out.settled['c2']).toEqual([{ id: 'x', ok: true }]);
    expect(t.released.sort()).toEqual([0, 1]);
    expect(t.term.counters).toMatchObject({ done: 2, failed: 1 });
  });

  it('drops stale and duplicate settlements: twice, from another instrument, of an older attempt, of an unknown job', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a', attempts: 2 }, { id: 'b' }]);
    t.hello('i1', 1);
    t.hello('i2', 1);
    const { assigned } = t.flush();
    const onA = assigned['i1']?.[0]?.id === 'a' ? 'i1' : 'i2';
    const other = onA === 'i1' ? 'i2' : 'i1';
    t.done(other, [{ id: 'a', attempt: 1, ok: true }]);
    expect(t.term.counters.droppedSettlements).toBe(1);
    t.done(onA, [{ id: 'a', attempt: 1, ok: false, error: boom }]);
    // Retried at once (no backoff) as attempt 2; the old attempt's word no longer counts.
    t.done(onA, [{ id: 'a', attempt: 1, ok: true }]);
    t.done(onA, [{ id: 'nobody', attempt: 1, ok: true }]);
    expect(t.term.counters.droppedSettlements).toBe(3);
    const again = t.flush();
    const [runner = ''] = Object.keys(again.assigned);
    expect(again.assigned[runner]?.[0]).toMatchObject({ id: 'a', attempt: 2 });
    t.done(runner, [{ id: 'a', attempt: 2, ok: true }]);
    t.done(runner, [{ id: 'a', attempt: 2, ok: true }]);
    expect(t.term.counters).toMatchObject({ droppedSettlements: 4, done: 1, retried: 1 });
    expect(t.flush().settled['c1']).toEqual([{ id: 'a', ok: true }]);
  });
});

describe('ActingTerm: retries', () => {
  it('runs a failed job again after its fixed backoff, as a new attempt, and no sooner', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a', attempts: 3, backoff: { type: 'fixed', delay: 1_000 } }]);
    t.hello('i1', 4);
    t.flush();
    t.done('i1', [{ id: 'a', attempt: 1, ok: false, error: boom }]);
    expect(t.term).toMatchObject({ queued: 1, delayed: 1, running: 0 });
    expect(t.flush().assigned).toEqual({});
    t.scheduler.advance(999);
    expect(t.changes).toBe(0);
    t.scheduler.advance(1);
    expect(t.changes).toBe(1);
    expect(t.term).toMatchObject({ queued: 1, delayed: 0 });
    expect(t.flush().assigned['i1']).toEqual([{ id: 'a', script: 'job.js', attempt: 2 }]);
  });

  it('doubles an exponential backoff on each failure and fails for good once attempts are used up', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a', attempts: 3, backoff: { type: 'exponential', delay: 100 } }]);
    t.hello('i1', 4);
    t.flush();
    for (const [attempt, delay] of [
      [1, 100],
      [2, 200],
    ] as const) {
      t.done('i1', [{ id: 'a', attempt, ok: false, error: boom }]);
      t.scheduler.advance(delay - 1);
      expect(t.flush().assigned).toEqual({});
      t.scheduler.advance(1);
      expect(t.flush().assigned['i1']?.[0]).toMatchObject({ id: 'a', attempt: attempt + 1 });
    }
    t.done('i1', [{ id: 'a', attempt: 3, ok: false, error: boom }]);
    expect(t.flush().settled['c1']).toEqual([{ id: 'a', ok: false, error: boom }]);
    expect(t.term.counters).toMatchObject({ retried: 2, failed: 1 });
  });

  it('does not retry what would fail the same way again (a refusal of Orchestra)', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a', attempts: 5 }]);
    t.hello('i1', 1);
    t.flush();
    const refusal = { name: 'ParamsValidationError', message: 'bad', code: 'ORCHESTRA_PARAMS_INVALID' };
    t.done('i1', [{ id: 'a', attempt: 1, ok: false, error: refusal }]);
    expect(t.flush().settled['c1']).toEqual([{ id: 'a', ok: false, error: refusal }]);
    expect(t.term.counters.retried).toBe(0);
  });
});

describe('ActingTerm: lost instruments', () => {
  it('runs elsewhere what a silent instrument held, counting silence only while the composer could reach the network', () => {
    const t = new TermHarness({ instrumentLeaseMs: 5_000 });
    const start = t.scheduler.now();
    t.hello('i1', 1);
    t.submit([{ id: 'a' }]);
    t.flush();
    t.scheduler.advance(4_000);
    t.hello('i2', 1);
    t.scheduler.advance(1_001);
    expect(t.term.checkInstruments(Number.POSITIVE_INFINITY)).toBe(false);
    expect(t.term.checkInstruments(start)).toBe(true);
    expect(t.term.instruments).toBe(1);
    expect(t.term.takeDeparted()).toEqual(['i1']);
    expect(t.flush().assigned['i2']).toEqual([{ id: 'a', script: 'job.js', attempt: 2 }]);
    expect(t.term.counters).toMatchObject({ lostRuns: 1, lostInstruments: 1 });
  });

  it('fails a job lost more often than maxLostRuns with InstrumentLostError', () => {
    const t = new TermHarness({ maxLostRuns: 1 });
    t.submit([{ id: 'a' }]);
    t.hello('i1', 1);
    expect(t.flush().assigned['i1']?.[0]?.attempt).toBe(1);
    // The instrument says hello again: it restarted, and what it held died with it.
    t.hello('i1', 1);
    expect(t.flush().assigned['i1']?.[0]?.attempt).toBe(2);
    t.hello('i1', 1);
    const out = t.flush();
    expect(out.assigned).toEqual({});
    expect(out.settled['c1']?.[0]).toMatchObject({ id: 'a', ok: false, error: { name: 'InstrumentLostError' } });
    expect(t.term.counters.lostRuns).toBe(2);
  });

  it('puts back at the front, without counting a lost run, what a leaving instrument held', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a' }, { id: 'b' }]);
    t.hello('i1', 1);
    t.flush();
    t.handle({ type: 'leave', instrument: 'i1' });
    expect(t.term.takeDeparted()).toEqual(['i1']);
    t.hello('i2', 2);
    expect(t.flush().assigned['i2']?.map((job) => [job.id, job.attempt])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(t.term.counters.lostRuns).toBe(0);
  });

  it('asks an instrument idle for half its lease of heartbeats while it should hold jobs to start again (its assignments were lost)', () => {
    const t = new TermHarness({ instrumentLeaseMs: 4_000 });
    t.hello('i1', 2);
    t.submit([{ id: 'a' }, { id: 'b' }]);
    expect(t.flush().assigned['i1']).toHaveLength(2);
    const beat = { type: 'credit', instrument: 'i1', threads: 2, credits: 0, busy: 0, held: 0 };
    // The first idle heartbeat may have left before the assignment arrived; a backlog read at once
    // (after a stall) proves nothing either: time must pass too.
    for (let i = 0; i < 5; i += 1) t.handle(beat);
    expect(t.flush().synced).toEqual([]);
    t.scheduler.advance(1_000);
    t.handle(beat);
    expect(t.flush().synced).toEqual([]);
    t.scheduler.advance(1_000);
    t.handle(beat);
    expect(t.flush().synced).toEqual(['i1']);
    // Its hello puts what it should have held back on the queue.
    t.hello('i1', 2);
    expect(t.flush().assigned['i1']?.map((job) => `${job.id}:${job.attempt}`).sort()).toEqual(['a:2', 'b:2']);
  });

  it('asks an idle instrument to start again when it has had no credits here for half its lease while jobs wait (its grants were lost)', () => {
    const t = new TermHarness({ instrumentLeaseMs: 4_000 });
    t.hello('i1', 0);
    t.submit([{ id: 'a' }]);
    const beat = { type: 'credit', instrument: 'i1', threads: 2, credits: 0, busy: 0, held: 0 };
    t.handle(beat);
    t.scheduler.advance(2_000);
    t.handle(beat);
    expect(t.flush().synced).toEqual(['i1']);
  });

  it('leaves alone an instrument whose heartbeats show it busy, or that holds what it was sent', () => {
    const t = new TermHarness();
    t.hello('i1', 2);
    t.submit([{ id: 'a' }, { id: 'b' }]);
    t.flush();
    for (let i = 0; i < 4; i += 1) {
      t.scheduler.advance(5_000);
      t.handle({ type: 'credit', instrument: 'i1', threads: 2, credits: 0, busy: 2, held: 2 });
      t.handle({ type: 'credit', instrument: 'i1', threads: 2, credits: 0, busy: 1, held: 0 });
    }
    expect(t.flush().synced).toEqual([]);
  });

  it('asks an unknown instrument to say hello again, once per lease, and gives up on one that never does', () => {
    const t = new TermHarness({ instrumentLeaseMs: 1_000 });
    t.handle({ type: 'credit', instrument: 'ghost', threads: 1, credits: 1 });
    t.handle({ type: 'credit', instrument: 'ghost', threads: 1, credits: 1 });
    expect(t.flush().synced).toEqual(['ghost']);
    t.scheduler.advance(1_001);
    expect(t.term.checkInstruments(t.scheduler.now())).toBe(true);
    expect(t.term.takeDeparted()).toEqual(['ghost']);
  });
});

describe('ActingTerm: cancellation', () => {
  it('cancels a queued job: it settles as cancelled and is never handed out', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a' }, { id: 'b' }]);
    t.handle({ type: 'cancel', consumer: 'c1', ids: ['a'] });
    t.hello('i1', 2);
    const out = t.flush();
    expect(ids(out.assigned['i1'])).toEqual(['b']);
    expect(out.cancelled).toEqual({});
    expect(out.settled['c1']?.[0]).toMatchObject({ id: 'a', ok: false, error: { name: 'JobCancelledError' } });
  });

  it('cancels a job in its retry delay: its timer is cancelled and it never runs again', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a', attempts: 2, backoff: { type: 'fixed', delay: 500 } }]);
    t.hello('i1', 1);
    t.flush();
    t.done('i1', [{ id: 'a', attempt: 1, ok: false, error: boom }]);
    expect(t.scheduler.pending).toBe(1);
    t.handle({ type: 'cancel', consumer: 'c1', ids: ['a'] });
    expect(t.scheduler.pending).toBe(0);
    expect(t.term).toMatchObject({ queued: 0, delayed: 0, running: 0 });
    t.scheduler.advance(1_000);
    const out = t.flush();
    expect(out.assigned).toEqual({});
    expect(out.settled['c1']?.[0]).toMatchObject({ id: 'a', ok: false, error: { name: 'JobCancelledError' } });
  });

  it('cancels a running job on its instrument, and drops its late settlement', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a' }]);
    t.hello('i1', 1);
    t.flush();
    t.handle({ type: 'cancel', consumer: 'c1', ids: ['a'] });
    const out = t.flush();
    expect(out.cancelled).toEqual({ i1: ['a'] });
    expect(out.settled['c1']?.[0]).toMatchObject({ id: 'a', ok: false, error: { name: 'JobCancelledError' } });
    t.done('i1', [{ id: 'a', attempt: 1, ok: true }]);
    expect(t.term.counters).toMatchObject({ droppedSettlements: 1, done: 0, failed: 1 });
  });

  it('leaves alone a settled job and a job of another consumer', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a' }, { id: 'b' }]);
    t.hello('i1', 2);
    t.flush();
    t.done('i1', [{ id: 'a', attempt: 1, ok: true }]);
    t.flush();
    t.handle({ type: 'cancel', consumer: 'c1', ids: ['a'] });
    t.handle({ type: 'cancel', consumer: 'intruder', ids: ['b'] });
    const out = t.flush();
    expect(out.settled).toEqual({});
    expect(out.cancelled).toEqual({});
    expect(t.term).toMatchObject({ running: 1 });
  });
});

describe('ActingTerm: progress, status and its end', () => {
  it('passes on progress of the current run only, before the settlement of the same batch', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a' }]);
    t.hello('i1', 1);
    t.flush();
    t.handle({ type: 'progress', instrument: 'i1', updates: [{ id: 'a', attempt: 1, value: '50' }, { id: 'a', attempt: 9, value: '1' }] });
    t.handle({ type: 'progress', instrument: 'other', updates: [{ id: 'a', attempt: 1, value: '2' }] });
    t.done('i1', [{ id: 'a', attempt: 1, ok: true }]);
    const parcels = t.term.outgoing();
    const toConsumer = parcels.filter((parcel) => parcel.mailbox === 'consumer.c1');
    expect(toConsumer).toHaveLength(1);
    expect(toConsumer[0]?.messages.map((message) => message['type'])).toEqual(['progress', 'settle']);
    expect(toConsumer[0]?.messages[0]).toMatchObject({ epoch: 7, updates: [{ id: 'a', value: '50' }] });
  });

  it('answers status requests not yet expired, counting delayed jobs as queued', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a', attempts: 2, backoff: { type: 'fixed', delay: 100 } }, { id: 'b' }, { id: 'c' }]);
    t.hello('i1', 2, 4);
    t.flush();
    t.done('i1', [{ id: 'a', attempt: 1, ok: false, error: boom }], 0);
    t.handle({ type: 'status', replyTo: 'o1' });
    t.handle({ type: 'status', replyTo: 'late', expiresAt: t.scheduler.now() - 1 });
    expect(t.term.takeStatusRequests()).toEqual(['o1']);
    expect(t.term.snapshot()).toMatchObject({ queued: 2, running: 1, instruments: [{ id: 'i1', threads: 4, held: 1 }] });
    expect(t.term).toMatchObject({ queued: 2, delayed: 1, running: 1 });
  });

  it('cancels every timer and forgets what it would have sent when disposed', () => {
    const t = new TermHarness();
    t.submit([{ id: 'a', attempts: 2, backoff: { type: 'fixed', delay: 100 } }, { id: 'b' }]);
    t.hello('i1', 1);
    t.flush();
    t.done('i1', [{ id: 'a', attempt: 1, ok: false, error: boom }]);
    t.term.dispose();
    expect(t.scheduler.pending).toBe(0);
    expect(t.term.outgoing().filter((parcel) => parcel.mailbox !== 'instrument.i1')).toEqual([]);
  });
});
