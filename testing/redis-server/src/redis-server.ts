import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { freePort } from './free-port.js';
import { RedisServerUnavailableError } from './redis-server-unavailable-error.js';

const INSTALL_HINT =
  'Orchestra\'s Redis tests and benchmarks need redis-server. Install it (Debian/Ubuntu: "sudo apt-get install redis-server", ' +
  'macOS: "brew install redis") so that redis-server is on PATH, or set REDIS_URL=redis://host:port to use a running server.';

/** Options for {@link startRedisServer}. */
export interface RedisServerOptions {
  /** Extra `redis-server` arguments, e.g. `['--appendonly', 'yes']`. */
  readonly args?: readonly string[];
  /** Use this server instead of starting one. Defaults to `process.env.REDIS_URL`. */
  readonly url?: string | undefined;
  /** How long to wait for the server to answer PING. Default 10 s. */
  readonly startTimeoutMs?: number;
  /** Serve TLS only (no plaintext port), with this certificate and key (PEM files). */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
}

/** A Redis server for one test file or benchmark run. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** True when this process started the server (so it may kill and restart it). */
  readonly owned: boolean;
  /** The server's data folder (for AOF files); undefined for a server given by URL. */
  readonly dir: string | undefined;
  /** Kills the server with SIGKILL and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and folder, and waits until it answers. */
  restart(): Promise<void>;
  /** Stops the server (if owned) and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts a private `redis-server` from PATH on a free port, in a temporary folder, without
 * persistence unless `args` ask for it. With `REDIS_URL` set, that server is used instead and
 * nothing is started. Throws {@link RedisServerUnavailableError}, saying how to install Redis,
 * when neither is available: tests never skip silently.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const url = 'url' in options ? options.url : process.env['REDIS_URL'];
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  if (url !== undefined && url !== '') {
    await waitForPing(url, timeoutMs);
    const port = Number(new URL(url).port || 6379);
    const refuse = (): Promise<void> =>
      Promise.reject(new RedisServerUnavailableError(`Cannot kill or restart the server at REDIS_URL=${url}: it was not started by the tests.`));
    return { url, port, owned: false, dir: undefined, kill: refuse, restart: refuse, stop: () => Promise.resolve() };
  }
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'orchestra-redis-'));
  const tls = options.tls;
  const ports =
    tls === undefined
      ? ['--port', String(port)]
      : ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-auth-clients', 'no'];
  const args = [...ports, '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...(options.args ?? [])];
  const serverUrl = `${tls === undefined ? 'redis' : 'rediss'}://127.0.0.1:${port}`;
  let child = await launch(args, serverUrl, timeoutMs);
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // The child is unref'd; ref it while waiting, or an otherwise idle process would end mid-await.
    child.ref();
    child.kill('SIGKILL');
    await exited;
  };
  return {
    url: serverUrl,
    port,
    owned: true,
    dir,
    kill,
    async restart() {
      await kill();
      child = await launch(args, serverUrl, timeoutMs);
    },
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function launch(args: readonly string[], url: string, timeoutMs: number): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const failed = new Promise<never>((_resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      const message = error.code === 'ENOENT' ? `redis-server was not found on PATH. ${INSTALL_HINT}` : `redis-server did not start: ${error.message}`;
      reject(new RedisServerUnavailableError(message, { cause: error }));
    });
    child.once('exit', (code, signal) => {
      reject(new RedisServerUnavailableError(`redis-server exited at start (code ${String(code)}, signal ${String(signal)}): ${stderr.trim()}`));
    });
  });
  failed.catch(() => undefined);
  // The server must not keep the test process alive, nor outlive it.
  child.unref();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  await Promise.race([waitForPing(url, timeoutMs), failed]);
  return child;
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const { hostname, port, protocol } = new URL(url);
  const secure = protocol === 'rediss:';
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await ping(hostname === '' ? '127.0.0.1' : hostname, Number(port || 6379), secure);
      return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new RedisServerUnavailableError(`No Redis answered at ${url} within ${timeoutMs} ms. ${INSTALL_HINT}`, { cause: lastError });
}

/**
 * Sends an inline PING over a plain socket (no client library, so a refused connection leaves no
 * timers behind). Any reply, +PONG or an authentication error from a server whose default user is
 * off, means the server is up.
 */
function ping(host: string, port: number, secure: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    // Readiness only: the test's own clients check the certificate.
    const socket = secure ? tlsConnect({ host, port, rejectUnauthorized: false }) : connect({ host, port });
    socket.setTimeout(1000, () => socket.destroy(new RedisServerUnavailableError('PING timed out')));
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.once('data', (data: Buffer) => {
      socket.destroy();
      const reply = data.toString();
      if (reply.startsWith('+') || /^-(NOAUTH|WRONGPASS|NOPERM)/.test(reply)) resolve();
      else reject(new RedisServerUnavailableError(`Unexpected PING reply: ${reply.trim()}`));
    });
    socket.once('error', reject);
  });
}
