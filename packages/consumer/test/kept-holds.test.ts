import { describe, expect, it, jest } from '@jest/globals';
import type { Release, Workspace } from '@orchestra/core';
import { waitUntil } from '@orchestra/core/internal';
import { MemNetwork } from '@orchestra/network-mem';
import { Consumer } from '../src/index.js';
import { KeptResults, MAX_KEPT_RESULTS } from '../src/kept-results.js';
import { MessageHold } from '../src/message-hold.js';
import { HandedOutIds, MAX_HANDED_OUT_IDS } from '../src/handed-out-ids.js';
import { ComposerStandIn } from './support/composer-stand-in.js';
import { RecordingLogger } from './support/recording-logger.js';
import { workspace } from './support/consumer-under-test.js';

describe('kept results are held in the network until handed out', () => {
  /** Consumers with the same id, one after another, on one MemNetwork: each a process started again. */
  async function restarts(run: (start: () => Consumer<Workspace>, composer: ComposerStandIn) => Promise<void>): Promise<void> {
    const network = new MemNetwork();
    const composer = new ComposerStandIn(network);
    let current: Consumer<Workspace> | undefined;
    const start = (): Consumer<Workspace> => {
      current = new Consumer(network, workspace, { id: 'app', logger: new RecordingLogger() });
      return current;
    };
    try {
      await run(start, composer);
    } finally {
      await current?.close();
      await composer.close();
      await network.close();
    }
  }

  it('gives the next process with the same id the kept results nobody asked for, and only those', async () => {
    await restarts(async (start, composer) => {
      await composer.settle('app', [{ id: 'earlier.1', ok: true, result: '1' }]);
      await composer.settle('app', [{ id: 'earlier.2', ok: true, result: '2' }]);
      const first = start();
      await waitUntil(() => first.stats().keptResults === 2, 'the first process kept both results');
      await expect(first.result('earlier.1')).resolves.toBe(1);
      // It ends with one result handed out, the other still kept.
      await first.close();
      const second = start();
      await waitUntil(() => second.stats().keptResults === 1, 'the second process got the result still kept');
      await expect(second.result('earlier.2')).resolves.toBe(2);
      await second.close();
      const third = start();
      const asked = third.result('earlier.2');
      await composer.askedAbout(1);
      expect(third.stats().keptResults).toBe(0);
      await composer.lookupReply('app', ['earlier.2']);
      await expect(asked).rejects.toMatchObject({ code: 'ORCHESTRA_UNKNOWN_JOB' });
    });
  });

  it('holds a message while any of its results is kept', async () => {
    await restarts(async (start, composer) => {
      await composer.settle('app', [
        { id: 'earlier.1', ok: true, result: '1' },
        { id: 'earlier.2', ok: true, result: '2' },
      ]);
      const first = start();
      await waitUntil(() => first.stats().keptResults === 2, 'both results were kept');
      await expect(first.result('earlier.1')).resolves.toBe(1);
      await first.close();
      // The network acknowledges a message whole: both come again, to be asked for again.
      const second = start();
      await waitUntil(() => second.stats().keptResults === 2, 'the message came again');
      await expect(second.result('earlier.2')).resolves.toBe(2);
      await expect(second.result('earlier.1')).resolves.toBe(1);
      await second.close();
      const third = start();
      void third.result('probe.1').catch(() => undefined);
      await composer.askedAbout(1);
      expect(third.stats().keptResults).toBe(0);
    });
  });

  it('acknowledges at once what it hands to a waiting promise', async () => {
    await restarts(async (start, composer) => {
      const first = start();
      const { job, result } = await first.addJob('echo.cjs', 1);
      const asked = first.result('earlier.7');
      await composer.askedAbout(1);
      await composer.settle('app', [
        { id: job.id, ok: true, result: '1' },
        { id: 'earlier.7', ok: true, result: '7' },
      ]);
      await expect(result).resolves.toBe(1);
      await expect(asked).resolves.toBe(7);
      await first.close();
      const second = start();
      void second.result('probe.1').catch(() => undefined);
      await composer.askedAbout(2);
      expect(second.stats()).toMatchObject({ keptResults: 0, duplicateSettlements: 0 });
    });
  });
});

describe('MessageHold', () => {
  it('holds the message at the first share and releases it with the last', () => {
    const release = jest.fn<Release>();
    const hold = jest.fn(() => release);
    const message = new MessageHold(hold);
    const a = message.share();
    const b = message.share();
    expect(hold).toHaveBeenCalledTimes(1);
    a();
    a();
    expect(release).not.toHaveBeenCalled();
    b();
    expect(release).toHaveBeenCalledTimes(1);
    // A share taken after the last was given back (still in the handler) holds the message again.
    message.share()();
    expect(hold).toHaveBeenCalledTimes(2);
    expect(release).toHaveBeenCalledTimes(2);
  });
});

describe('KeptResults', () => {
  it('releases what it hands out, replaces or drops past its bound', () => {
    const logger = new RecordingLogger();
    const kept = new KeptResults(logger);
    const released: string[] = [];
    const keep = (id: string, tag = id): void => kept.keep({ id, ok: true }, () => released.push(tag));
    keep('a', 'a-first');
    keep('a', 'a-second');
    expect(released).toEqual(['a-first']);
    const taken = kept.take('a');
    expect(taken?.outcome).toEqual({ id: 'a', ok: true });
    expect(kept.take('a')).toBeUndefined();
    released.length = 0;
    for (let i = 0; i <= MAX_KEPT_RESULTS; i += 1) keep(`k${i}`);
    const dropped = Math.ceil(MAX_KEPT_RESULTS / 10);
    expect(released).toHaveLength(dropped);
    expect(released[0]).toBe('k0');
    expect(kept.size).toBe(MAX_KEPT_RESULTS + 1 - dropped);
    expect(logger.warnings).toHaveLength(1);
  });
});

describe('HandedOutIds', () => {
  it('remembers the newest ids, forgetting the oldest tenth past its bound', () => {
    const ids = new HandedOutIds();
    for (let i = 0; i <= MAX_HANDED_OUT_IDS; i += 1) ids.add(`j${i}`);
    expect(ids.has('j0')).toBe(false);
    expect(ids.has(`j${Math.ceil(MAX_HANDED_OUT_IDS / 10)}`)).toBe(true);
    expect(ids.has(`j${MAX_HANDED_OUT_IDS}`)).toBe(true);
    expect(ids.size).toBe(MAX_HANDED_OUT_IDS + 1 - Math.ceil(MAX_HANDED_OUT_IDS / 10));
  });
});
