// The plain single-threaded reference scan as a command: node dist/reference.js --bucket B [--prefix P] [--error-code N]
import { parseArgs } from 'node:util';
import { createS3Client } from './s3-client.js';
import { referenceScan } from './reference-scan.js';

const { values } = parseArgs({ options: { bucket: { type: 'string', default: 'logs' }, prefix: { type: 'string', default: '' }, 'error-code': { type: 'string', default: '505' } } });
const s3 = createS3Client();
const { matchLines, ...result } = await referenceScan(s3, values.bucket, values.prefix, { errorCode: Number(values['error-code']) });
s3.destroy();
process.stdout.write(`${JSON.stringify({ ...result, mbPerSecond: result.uncompressedBytes / 1e3 / result.elapsedMs, matchLines: matchLines.length })}\n`);
