import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { installMachine, installedPackages, packPackages } from './support/packed-packages.js';

// The original Orchestra document's code blocks, byte for byte (see fixtures/seed-document/README.md),
// run with only `'orchestra'` changed to `'@orchestra/orchestra'` and its placeholder path made real.

const run = promisify(execFile);
const fixtures = fileURLToPath(new URL('../fixtures/seed-document/', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const nodeTypes = dirname(dirname(createRequire(import.meta.url).resolve('@types/node/package.json')));

/** A code block of the document with the two changes, checked to be the only ones needed. */
function snippet(name: string, workspace: string): string {
  const text = readFileSync(join(fixtures, `${name}.txt`), 'utf8');
  const changed = text.replaceAll("require('orchestra')", "require('@orchestra/orchestra')").replaceAll("'/path/to/workspace'", JSON.stringify(workspace));
  expect(changed).not.toMatch(/'orchestra'|'\/path\/to\/workspace'/);
  return changed;
}

/** What an ES module (or TypeScript) writes for `const { A } = require('m');`: `import { A } from 'm';`. */
function asModule(code: string): string {
  return code.replace(/^const \{([^}]*)\}\s*=\s*require\(('[^']*')\);$/gm, 'import {$1} from $2;');
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function runApp(cwd: string, file: string): Promise<string> {
  const { stdout } = await run(process.execPath, [file], { cwd, timeout: 60_000 });
  return stdout;
}

/** What the document's Worker and Consumer blocks print for `add.js` with `{ a: 1, b: 2 }`. */
function expectDocumentOutput(stdout: string): void {
  expect(stdout).toContain('Doing work... { params: { a: 1, b: 2 } }');
  expect(stdout).toMatch(/Created job \{\s+job: \{\s+id: '[^']+',\s+script: 'add\.js'/);
  expect(stdout).toContain('Waiting for completion...');
  expect(stdout).toContain('Result: 3');
}

const closeRoles = 'await instrument.close(); await composer.close(); await network.close();';

describe('the Orchestra document’s code, from the packed @orchestra/orchestra alone', () => {
  let machine: string;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'orchestra-document-'));
    const tarballs = await packPackages(['orchestra'], join(root, 'tarballs'));
    machine = join(root, 'machine');
    await installMachine(machine, [...tarballs.values()]);
  }, 180_000);

  it('installs no other Orchestra package', () => {
    const ours = [...installedPackages(machine)].filter((name) => name.startsWith('@orchestra/'));
    expect(ours).toEqual(['@orchestra/orchestra']);
  });

  it('runs every JavaScript block from CommonJS', async () => {
    const app = join(machine, 'cjs');
    const workspace = join(app, 'workspace');
    write(join(workspace, 'package.json'), JSON.stringify({ type: 'commonjs' }));
    write(join(workspace, 'add.js'), snippet('worker.js', workspace));
    // The blocks in the document's order; the Consumer's top-level `await` needs an async function in CommonJS.
    const setup = ['network.js', 'workspace.js', 'composer.js', 'instrument.js'].map((name) => snippet(name, workspace)).join('\n');
    const consumer = snippet('consumer.js', workspace);
    write(join(app, 'app.cjs'), `${setup}\n(async () => {\n${consumer}\nawait consumer.close(); ${closeRoles}\n})();\n`);
    expectDocumentOutput(await runApp(app, 'app.cjs'));
  }, 90_000);

  it('runs every JavaScript block from ES modules', async () => {
    const app = join(machine, 'esm');
    const workspace = join(app, 'workspace');
    write(join(app, 'package.json'), JSON.stringify({ type: 'module' }));
    write(join(workspace, 'add.js'), asModule(snippet('worker.js', workspace)));
    const setup = ['network.js', 'workspace.js', 'composer.js', 'instrument.js'].map((name) => asModule(snippet(name, workspace))).join('\n');
    // The Consumer block is a module of its own (it imports Workspace again), reaching the others
    // through `new Network()`: the process's in-process network.
    write(join(app, 'consumer.js'), asModule(snippet('consumer.js', workspace)));
    write(join(app, 'app.js'), `${setup}\nawait import('./consumer.js');\n${closeRoles}\n`);
    expectDocumentOutput(await runApp(app, 'app.js'));
  }, 90_000);

  it('compiles the TypeScript blocks under strict and runs them', async () => {
    const app = join(machine, 'ts');
    const workspace = join(app, 'workspace');
    write(join(app, 'package.json'), JSON.stringify({ type: 'module' }));
    // The typed Worker takes its workspace "from somewhere else in your project": here, the app.
    const worker = snippet('typed-worker.ts', workspace).replace("require('...')", "require('../app.js')");
    write(join(workspace, 'add.ts'), asModule(worker));
    // The typed Consumer block names Workspace, Consumer and Network without importing them.
    const program = [
      "import { Consumer, Network, Workspace } from '@orchestra/orchestra';",
      asModule(snippet('network.js', workspace)),
      asModule(snippet('composer.js', workspace)),
      snippet('typed-consumer.ts', workspace),
      asModule(snippet('instrument.js', workspace)),
      "console.log('Result:', await result);",
      `await consumer.close(); ${closeRoles}`,
      'export { workspace };',
    ];
    write(join(app, 'app.ts'), `${program.join('\n')}\n`);
    const compilerOptions = {
      strict: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      types: ['node'],
      typeRoots: [nodeTypes],
      // As most projects set it: ioredis's own declarations name an untyped module.
      skipLibCheck: true,
    };
    write(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['app.ts', 'workspace/add.ts'] }));
    // tsc prints its errors on stdout: put them in the failure.
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, timeout: 60_000 }).catch((error: Error & { stdout?: string }) => {
      throw new Error(`tsc failed: ${error.message}\n${error.stdout ?? ''}`);
    });
    // `typeof workspace` is a type: the compiled job script does not load the app.
    expect(readFileSync(join(workspace, 'add.js'), 'utf8')).not.toContain('app.js');
    const stdout = await runApp(app, 'app.js');
    expect(stdout).toContain('Result: 3');
  }, 120_000);
});
