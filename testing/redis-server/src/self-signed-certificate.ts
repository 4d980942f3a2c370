import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RedisServerUnavailableError } from './redis-server-unavailable-error.js';

const run = promisify(execFile);

/** A certificate made for one test run: PEM files on disk, and the certificate's text to trust it by. */
export interface SelfSignedCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  /** The certificate in PEM, for a client's `ca`. */
  readonly cert: string;
  readonly dir: string;
}

/** Makes a self-signed certificate for 127.0.0.1 and localhost, valid for a day, with the `openssl` command. */
export async function makeSelfSignedCertificate(): Promise<SelfSignedCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'orchestra-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-keyout', keyFile, '-out', certFile,
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]).catch((error: unknown) => {
    throw new RedisServerUnavailableError('openssl could not make a test certificate (install openssl)', { cause: error });
  });
  return { certFile, keyFile, cert: await readFile(certFile, 'utf8'), dir };
}
