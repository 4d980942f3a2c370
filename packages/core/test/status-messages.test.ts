import { describe, expect, it } from '@jest/globals';
import { isComposerMessage, isObserverMessage, isValidId, mailboxes, WIRE_LIMITS } from '../src/internal.js';

const snapshot = {
  instruments: [{ id: 'instrument-a', threads: 4, busy: 2, held: 9 }],
  queued: 12,
  running: 9,
  done: 1000,
  failed: 3,
  jobsPerSecond: 250.5,
  uptimeMs: 60_000,
};
const reply = { v: 1, type: 'status', epoch: 3, composer: 'composer-x', snapshot };

describe('status messages', () => {
  it('takes a status request in the composer mailbox, with or without an expiry', () => {
    expect(isComposerMessage({ v: 1, type: 'status', replyTo: 'observer-abc' })).toBe(true);
    expect(isComposerMessage({ v: 1, type: 'status', replyTo: 'observer-abc', expiresAt: Date.now() })).toBe(true);
  });

  it('refuses a malformed status request', () => {
    expect(isComposerMessage({ v: 1, type: 'status' })).toBe(false);
    expect(isComposerMessage({ v: 1, type: 'status', replyTo: 'has space' })).toBe(false);
    expect(isComposerMessage({ v: 1, type: 'status', replyTo: 'o', expiresAt: -1 })).toBe(false);
    expect(isComposerMessage({ v: 1, type: 'status', replyTo: 'o', extra: true })).toBe(false);
    expect(isComposerMessage({ v: 2, type: 'status', replyTo: 'o' })).toBe(false);
  });

  it('takes an optional busy count on credit and done messages', () => {
    expect(isComposerMessage({ v: 1, type: 'credit', instrument: 'i', threads: 2, credits: 0, busy: 2 })).toBe(true);
    expect(isComposerMessage({ v: 1, type: 'credit', instrument: 'i', threads: 2, credits: 6 })).toBe(true);
    const settlements = [{ id: 'j', attempt: 1, ok: true }];
    expect(isComposerMessage({ v: 1, type: 'done', instrument: 'i', settlements, credits: 1, busy: 0 })).toBe(true);
    expect(isComposerMessage({ v: 1, type: 'done', instrument: 'i', settlements, credits: 1, busy: -1 })).toBe(false);
    expect(isComposerMessage({ v: 1, type: 'done', instrument: 'i', settlements, credits: 1, busy: 1.5 })).toBe(false);
  });

  it('accepts a well-formed status reply in an observer mailbox', () => {
    expect(isObserverMessage(reply)).toBe(true);
    expect(isObserverMessage({ ...reply, snapshot: { ...snapshot, instruments: [] } })).toBe(true);
  });

  it('refuses status replies that are malformed, open or out of bounds', () => {
    expect(isObserverMessage({ ...reply, extra: 1 })).toBe(false);
    expect(isObserverMessage({ ...reply, snapshot: { ...snapshot, extra: 1 } })).toBe(false);
    expect(isObserverMessage({ ...reply, snapshot: { ...snapshot, queued: -1 } })).toBe(false);
    expect(isObserverMessage({ ...reply, snapshot: { ...snapshot, done: 1.5 } })).toBe(false);
    expect(isObserverMessage({ ...reply, snapshot: { ...snapshot, jobsPerSecond: -1 } })).toBe(false);
    expect(isObserverMessage({ ...reply, snapshot: { ...snapshot, jobsPerSecond: null } })).toBe(false);
    const withoutFailed: Record<string, unknown> = { ...snapshot };
    delete withoutFailed['failed'];
    expect(isObserverMessage({ ...reply, snapshot: withoutFailed })).toBe(false);
    const instrument = { id: 'i', threads: 1, busy: 0, held: 0 };
    expect(isObserverMessage({ ...reply, snapshot: { ...snapshot, instruments: [{ ...instrument, id: 'bad id' }] } })).toBe(false);
    expect(isObserverMessage({ ...reply, snapshot: { ...snapshot, instruments: [{ ...instrument, more: 1 }] } })).toBe(false);
    const tooMany = Array.from({ length: WIRE_LIMITS.maxItems + 1 }, (_, n) => ({ ...instrument, id: `i${n}` }));
    expect(isObserverMessage({ ...reply, snapshot: { ...snapshot, instruments: tooMany } })).toBe(false);
    // A status request is not a reply: the two mailboxes hold different messages.
    expect(isObserverMessage({ v: 1, type: 'status', replyTo: 'o' })).toBe(false);
    expect(isObserverMessage.explain({ ...reply, epoch: -1 })).toContain('epoch');
  });

  it('names observer mailboxes and checks ids', () => {
    expect(mailboxes.observer('observer-abc')).toBe('observer.observer-abc');
    expect(isValidId('composer-1.a:b_c')).toBe(true);
    expect(isValidId('')).toBe(false);
    expect(isValidId('x'.repeat(129))).toBe(false);
    expect(isValidId('no spaces')).toBe(false);
  });
});
