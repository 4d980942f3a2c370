import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { progressBar } from '../src/progress-bar.js';
import type { ScanProgress } from '../src/run-scan.js';

/** A stream that keeps what is written to it, as a terminal (isTTY) or not. */
function sink(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream & { isTTY: boolean; columns: number };
  stream.isTTY = isTTY;
  stream.columns = 120;
  return { stream, text: () => chunks.join('') };
}

const progress = (objects: number, bytes: number, matches: number): ScanProgress => ({
  objects,
  emptyObjects: 0,
  compressedBytes: bytes / 10,
  uncompressedBytes: bytes,
  lines: 0,
  matches,
  malformed: 0,
  listed: 1202,
  elapsedMs: 2000,
});

describe('progressBar', () => {
  it('on a terminal shows objects done of listed, bytes, matches and speed', () => {
    const { stream, text } = sink(true);
    const bar = progressBar(stream);
    bar.update(progress(0, 0, 0));
    bar.update(progress(601, 38_600_000, 1234));
    bar.stop();
    expect(text()).toMatch(/601\/1202 objects \| 38\.6 MB \| 1,234 matches \| 19\.3 MB\/s/);
  });

  it('writes nothing when the stream is not a terminal', () => {
    const { stream, text } = sink(false);
    const bar = progressBar(stream);
    bar.update(progress(0, 0, 0));
    bar.update(progress(601, 38_600_000, 1234));
    bar.stop();
    expect(text()).toBe('');
  });
});
