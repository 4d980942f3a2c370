import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { type JobContext, JobScriptError } from '@orchestra/core';
import { setActiveJob } from '@orchestra/core/runtime';
import { createPendingJob, progressReporter } from './active-job-factory.js';
import { compileCjsRunner } from './cjs-runner.js';
import { compileEsmRunner } from './esm-runner.js';
import type { ThreadJob } from './thread-protocol.js';

type Hook = () => unknown;
type Handler = (params: unknown, ctx: JobContext) => unknown;

/** A script as this thread knows it after its first run. */
type LoadedScript =
  | {
      readonly style: 'handler';
      readonly handler: Handler;
      readonly startup: Hook | undefined;
      readonly finish: Hook | undefined;
      started: boolean;
    }
  | { readonly style: 'imperative'; readonly rerun: () => void | Promise<void> };

const scripts = new Map<string, LoadedScript>();
const cjsCache = createRequire(import.meta.url).cache;

function hook(namespace: Record<string, unknown>, name: string): Hook | undefined {
  const direct = namespace[name];
  if (typeof direct === 'function') return direct as Hook;
  const onDefault = (namespace['default'] as Record<string, unknown> | undefined)?.[name];
  return typeof onDefault === 'function' ? (onDefault as Hook) : undefined;
}

async function runHandler(script: Extract<LoadedScript, { style: 'handler' }>, params: unknown, ctx: JobContext): Promise<unknown> {
  if (!script.started) {
    await script.startup?.();
    script.started = true;
  }
  return script.handler(params, ctx);
}

function contextOf(job: ThreadJob, signal: AbortSignal, progress: (value: unknown) => void): JobContext {
  return { jobId: job.id, attempt: job.attempt, signal, progress };
}

/**
 * Runs one job's script and returns what it resolved. The first job of a file imports it: if the
 * script built a `Worker` while it was evaluated it is imperative-style (that evaluation was the
 * job, and later jobs evaluate it again); otherwise its default export is the handler.
 */
export async function runScript(job: ThreadJob, params: unknown, signal: AbortSignal): Promise<unknown> {
  const known = scripts.get(job.file);
  // The hot path: a known handler needs no pending-job object, only its context.
  if (known?.style === 'handler') return runHandler(known, params, contextOf(job, signal, progressReporter(job)));

  const pending = createPendingJob(job, params, signal);
  setActiveJob(pending.active);
  let namespace: Record<string, unknown> | undefined;
  try {
    if (known === undefined) namespace = (await import(pathToFileURL(job.file).href)) as Record<string, unknown>;
    else await known.rerun();
  } catch (error) {
    pending.active.reject(error);
  } finally {
    setActiveJob(undefined);
  }

  if (known === undefined && pending.active.claimed) {
    const isCjs = cjsCache[job.file] !== undefined;
    scripts.set(job.file, { style: 'imperative', rerun: isCjs ? compileCjsRunner(job.file) : compileEsmRunner(job.file) });
  }
  if (pending.active.claimed) return pending.settled;
  const registered = pending.active.registered;
  if (known === undefined && registered !== undefined && namespace !== undefined) {
    // The script registered a handler while it was evaluated (new ThreadFactory(spec) does).
    const script = { style: 'handler' as const, handler: registered.handler, startup: registered.startup, finish: registered.finish, started: false };
    scripts.set(job.file, script);
    return runHandler(script, params, contextOf(job, signal, pending.active.progress));
  }
  if (namespace === undefined) {
    // The import threw before the script built a Worker: report what it threw.
    if (known === undefined) return pending.settled;
    throw new JobScriptError(`${job.script} did not build a Worker on this run`);
  }

  const handler = namespace['default'];
  if (typeof handler !== 'function') {
    throw new JobScriptError(
      `${job.script} neither built a Worker (new Worker()) nor exported a handler function (export default async (params, ctx) => result)`,
    );
  }
  const script = {
    style: 'handler' as const,
    handler: handler as Handler,
    startup: hook(namespace, 'startup'),
    finish: hook(namespace, 'finish'),
    started: false,
  };
  scripts.set(job.file, script);
  return runHandler(script, params, contextOf(job, signal, pending.active.progress));
}

/** Runs the `finish` hook of every handler script that started in this thread. */
export async function finishScripts(): Promise<void> {
  for (const script of scripts.values()) {
    if (script.style === 'handler' && script.started) await script.finish?.();
  }
}
