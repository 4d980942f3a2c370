import { describe, expect, it } from '@jest/globals';
import { run, type CliIo } from '../src/index.js';

/** Runs a command line with captured output and the given environment. */
async function runCaptured(argv: readonly string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

describe('orchestra', () => {
  it('shows its help with --help, -h and help, exit code 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const { code, stdout, stderr } = await runCaptured(argv);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      for (const word of ['composer', 'instrument', 'status', 'ORCHESTRA_REDIS_URL', 'ORCHESTRA_NAMESPACE', 'Exit codes']) {
        expect(stdout).toContain(word);
      }
    }
  });

  it("shows a command's help", async () => {
    const viaOption = await runCaptured(['instrument', '--help']);
    expect(viaOption.code).toBe(0);
    expect(viaOption.stdout).toContain('Usage: orchestra instrument --workspace DIR');
    expect(viaOption.stdout).toContain('--threads N');
    expect((await runCaptured(['help', 'status'])).stdout).toContain('Usage: orchestra status');
    expect((await runCaptured(['composer', '-h'])).stdout).toContain('--lease-ms MS');
  });

  it('prints its version', async () => {
    const { code, stdout } = await runCaptured(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });

  it('refuses no command, an unknown command or option with a message and the usage on stderr, exit code 2', async () => {
    const none = await runCaptured([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('orchestra: no command given');
    const unknown = await runCaptured(['conduct']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toContain("orchestra: unknown command 'conduct'");
    expect(unknown.stderr).toContain('Usage: orchestra <command>');
    const option = await runCaptured(['status', '--bogus']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("orchestra: unknown option '--bogus'");
    expect(option.stderr).toContain('Usage: orchestra status');
  });

  it('refuses settings the Redis network refuses as usage errors, before connecting', async () => {
    const namespace = await runCaptured(['status', '--namespace', 'has space']);
    expect(namespace.code).toBe(2);
    expect(namespace.stderr).toContain('namespace must be');
    const url = await runCaptured(['composer'], { ORCHESTRA_REDIS_URL: 'http://example.com' });
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('redis://');
  });

  it('refuses a workspace folder that does not exist before connecting', async () => {
    const { code, stderr } = await runCaptured(['instrument', '--workspace', '/no/such/folder/anywhere', '--redis', 'redis://127.0.0.1:1']);
    expect(code).toBe(2);
    expect(stderr).toContain('--workspace: Workspace path /no/such/folder/anywhere does not exist');
  });
});
