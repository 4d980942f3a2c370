import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const builtins = new Set(builtinModules);

/**
 * Finds what `specifier` means when imported from `parentUrl`. Relative and absolute URLs resolve
 * as URLs; bare names resolve through node_modules from the script's folder (the `require`
 * resolution, which honours package `exports` with their `default` conditions).
 */
function resolveFrom(specifier: string, parentUrl: string): string {
  if (specifier.startsWith('node:') || builtins.has(specifier)) return specifier;
  if (/^(\.{0,2}\/|file:|data:)/.test(specifier)) return new URL(specifier, parentUrl).href;
  return pathToFileURL(createRequire(fileURLToPath(parentUrl)).resolve(specifier)).href;
}

/**
 * Runs an ES-module imperative script again for each job. The ESM loader keeps every module it
 * evaluated for the life of the thread, so importing the file again under a new URL per job would
 * grow memory forever; instead the source is compiled as a `vm.SourceTextModule` per run (reusing
 * V8's code cache) and linked to the real modules it imports, which are loaded once. Each run's
 * module is garbage once its job settles.
 */
export function compileEsmRunner(file: string): () => Promise<void> {
  const source = readFileSync(file, 'utf8');
  const url = pathToFileURL(file).href;
  const linked = new Map<string, Promise<vm.Module>>();
  let cachedData: Buffer | undefined;

  const dependency = (specifier: string, parent: string): Promise<vm.Module> => {
    const resolved = resolveFrom(specifier, parent);
    let module = linked.get(resolved);
    if (module === undefined) {
      module = import(resolved).then(async (namespace: Record<string, unknown>) => {
        const names = Object.keys(namespace);
        const synthetic = new vm.SyntheticModule(names, function (this: vm.SyntheticModule) {
          for (const name of names) this.setExport(name, namespace[name]);
        }, { identifier: resolved });
        // A synthetic module imports nothing: its linker is never called.
        await synthetic.link(() => synthetic);
        await synthetic.evaluate();
        return synthetic;
      });
      linked.set(resolved, module);
    }
    return module;
  };

  return async () => {
    const module = new vm.SourceTextModule(source, {
      identifier: url,
      ...(cachedData === undefined ? {} : { cachedData }),
      initializeImportMeta(meta) {
        meta.url = url;
        Object.assign(meta, { filename: file, dirname: dirname(file) });
      },
      importModuleDynamically: (specifier) => import(resolveFrom(specifier, url)),
    });
    // In Node since 13.7, missing from @types/node's SourceTextModule.
    cachedData ??= (module as vm.SourceTextModule & { createCachedData(): Buffer }).createCachedData();
    await module.link((specifier) => dependency(specifier, url));
    await module.evaluate();
  };
}
