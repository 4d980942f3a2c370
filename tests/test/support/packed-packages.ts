import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The pnpm to pack with: the one running these tests when pnpm runs them (`npm_execpath`), so no other
 * process has to fetch it; else the pinned one through scripts/pnpm.sh, which works where pnpm is not on PATH.
 */
const pnpm = ((): { command: string; args: string[] } => {
  const running = process.env['npm_execpath'];
  if (running !== undefined && /pnpm(\.c?js)?$/.test(running)) {
    return running.endsWith('js') ? { command: process.execPath, args: [running] } : { command: running, args: [] };
  }
  return { command: 'sh', args: [join(repoRoot, 'scripts', 'pnpm.sh')] };
})();

/**
 * Packs each named package (a folder under packages/) with `pnpm pack`, as it would be published:
 * `workspace:` ranges become versions and publishConfig applies. Returns the tarball of each name.
 */
export async function packPackages(names: readonly string[], destination: string): Promise<Map<string, string>> {
  const tarballs = new Map<string, string>();
  const pack = async (name: string): Promise<void> => {
    // One folder per package, so each tarball is known without guessing its file name.
    const folder = join(destination, name);
    mkdirSync(folder, { recursive: true });
    await run(pnpm.command, [...pnpm.args, 'pack', '--pack-destination', folder], { cwd: join(repoRoot, 'packages', name), timeout: 120_000 });
    const files = readdirSync(folder).filter((file) => file.endsWith('.tgz'));
    if (files.length !== 1) throw new Error(`pnpm pack of ${name} left ${files.length} tarballs in ${folder}`);
    tarballs.set(name, join(folder, files[0] as string));
  };
  // The first alone: where pnpm comes through npx, it is fetched once, not by several at a time.
  const [first, ...rest] = names;
  if (first !== undefined) await pack(first);
  await Promise.all(rest.map(pack));
  return tarballs;
}

/**
 * Installs tarballs with npm into `folder` (created with a bare package.json), as on a machine with
 * nothing else. The tarballs go in one `npm install`, so npm takes `@orchestra/*` dependencies from
 * them instead of looking for them on the registry.
 */
export async function installMachine(folder: string, tarballs: readonly string[]): Promise<void> {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'machine', private: true }));
  // Bounded, so a stuck install fails with npm's own output rather than as a test timeout.
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], { cwd: folder, timeout: 150_000 });
}

/** The name of every package installed in `folder`, at any depth of nested node_modules. */
export function installedPackages(folder: string): Set<string> {
  const names = new Set<string>();
  const walk = (modules: string): void => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const packages = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((name) => `${entry}/${name}`) : [entry];
      for (const name of packages) {
        names.add(name);
        walk(join(modules, name, 'node_modules'));
      }
    }
  };
  walk(join(folder, 'node_modules'));
  return names;
}
