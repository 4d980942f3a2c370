import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { ObjectReadError } from '../src/errors.js';
import { scanObject, type OpenObject, type ReadOptions } from '../src/scan-object.js';

const options: ReadOptions = { rule: { errorCode: 505 }, strict: false, attempts: 3, retryDelayMs: 1 };
const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ i, error: i % 100 === 0 ? 505 : 200 }));
const body = gzipSync(`${lines.join('\n')}\n`);

/** Streams `bytes`, failing after `failAfter` bytes when it is set (a cut connection). */
function stream(bytes: Buffer, failAfter?: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < (failAfter ?? bytes.length); at += 512) chunks.push(bytes.subarray(at, Math.min(at + 512, failAfter ?? bytes.length)));
  return new Readable({
    read() {
      const chunk = chunks.shift();
      if (chunk !== undefined) this.push(chunk);
      else if (failAfter === undefined) this.push(null);
      else this.destroy(new Error('connection reset'));
    },
  });
}

describe('scanObject', () => {
  it('retries a read that broke midway and reports each match once', async () => {
    let reads = 0;
    const open: OpenObject = () => {
      reads += 1;
      return Promise.resolve(reads < 3 ? stream(body, Math.floor(body.length * 0.8)) : stream(body));
    };
    const scanned = await scanObject({ key: 'k', size: body.length }, open, options);
    expect(reads).toBe(3);
    expect(scanned.matches).toHaveLength(20);
    expect(new Set(scanned.matches).size).toBe(20);
    expect(scanned.counts).toMatchObject({ objects: 1, lines: 2000, matches: 20, malformed: 0, compressedBytes: body.length });
  });

  it('reports an object that no read can gunzip, after every attempt', async () => {
    let reads = 0;
    const open: OpenObject = () => {
      reads += 1;
      return Promise.resolve(stream(Buffer.from('not gzip at all')));
    };
    const failure = scanObject({ key: 'broken', size: 15 }, open, options);
    await expect(failure).rejects.toBeInstanceOf(ObjectReadError);
    await expect(failure).rejects.toMatchObject({ key: 'broken', attempts: 3, code: 'S3_SCAN_OBJECT_UNREADABLE' });
    expect(reads).toBe(3);
  });

  it('counts an object of zero bytes as empty without reading it', async () => {
    const open: OpenObject = () => Promise.reject(new Error('must not be read'));
    const scanned = await scanObject({ key: 'empty', size: 0 }, open, options);
    expect(scanned.counts).toMatchObject({ objects: 1, emptyObjects: 1, lines: 0 });
  });
});
