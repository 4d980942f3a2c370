import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

/**
 * Compiles a CommonJS imperative script once and returns a function that runs it again. Going
 * through `require` each time (after deleting the cache entry) would leave one Module object per
 * run in its parent's `children`: memory would grow with every job. Here each run only allocates
 * a fresh `module` object, which is garbage once the job settles.
 */
export function compileCjsRunner(file: string): () => void {
  let source = readFileSync(file, 'utf8');
  // A hashbang line is not JavaScript; blank it without shifting line numbers.
  if (source.startsWith('#!')) source = `//${source.slice(2)}`;
  const body = vm.compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], {
    filename: file,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const require = createRequire(file);
  const dir = dirname(file);
  return () => {
    const module = { exports: {}, id: file, filename: file, path: dir, loaded: false, children: [], require };
    body.call(module.exports, module.exports, require, module, file, dir);
  };
}
