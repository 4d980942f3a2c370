// @ts-check
// Bundles the role packages into this one, so that its tarball installs alone: the `@orchestra/*`
// packages it re-exports are copied in, their third-party dependencies stay dependencies.
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { dts } from 'rollup-plugin-dts';

const packagesDir = fileURLToPath(new URL('..', import.meta.url));
const ownBuild = fileURLToPath(new URL('build', import.meta.url));

/** Bundled: this package's modules and the `@orchestra/*` packages. Anything else is a dependency or a Node module. */
const external = (/** @type {string} */ id) => !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('@orchestra/');

/**
 * Each module keeps its own file (rollup's preserveModules), laid out as in its package's dist/, so
 * what a package finds beside itself at run time (the instrument's thread entry, core's schema
 * checker) is beside it here too: `build/x.js` becomes `dist/x.js`, `packages/core/dist/x.js` becomes
 * `dist/core/x.js`.
 * @param {{ facadeModuleId: string | null, name: string }} chunk
 */
function fileName(chunk) {
  const id = chunk.facadeModuleId ?? chunk.name;
  const path = relative(packagesDir, id).split(sep);
  const [pkg, folder, ...rest] = path;
  if (pkg === 'orchestra' && folder === 'build') return rest.join('/');
  // A build-time failure, never seen by users: a plain Error is the right thing here.
  // eslint-disable-next-line no-restricted-syntax
  if (folder !== 'dist' || pkg === undefined) throw new Error(`Unexpected module in the bundle: ${id}`);
  return [pkg, ...rest].join('/');
}

export default [
  {
    input: {
      index: `${ownBuild}/index.js`,
      // Loaded by URL (never imported), so named here.
      'instrument-thread-entry': fileURLToPath(new URL('../instrument/dist/thread/entry.js', import.meta.url)),
    },
    external,
    plugins: [nodeResolve({ exportConditions: ['node', 'import', 'default'] })],
    output: {
      dir: 'dist',
      format: 'es',
      preserveModules: true,
      entryFileNames: fileName,
    },
    // Each package already sets sideEffects: false; keep every module's file even when nothing here
    // imports it statically (schema-check is required by path).
    treeshake: { moduleSideEffects: true },
  },
  {
    input: `${ownBuild}/index.d.ts`,
    external,
    plugins: [dts({ respectExternal: true })],
    output: { file: 'dist/index.d.ts', format: 'es' },
  },
];
