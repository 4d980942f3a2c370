// Type-level tests: compiled by `pnpm typecheck` (never run). Each @ts-expect-error line must be an
// error; if a typing regression makes it compile, tsc reports the unused directive and CI fails.
import { ThreadFactory } from '@orchestra/factory';
import { Consumer } from '@orchestra/consumer';
import { Worker, Workspace, type JobHandler } from '@orchestra/core';
import { MemNetwork } from '@orchestra/network-mem';
import Type from 'typebox';

type MyScripts = {
  'add.js': { params: { a: number; b: number }; result: number };
  'greet.js': { params: { name: string }; result: string };
};

const workspace = new Workspace<keyof MyScripts, MyScripts>('/path/to/workspace');
const network = new MemNetwork();

export async function documentTyping(): Promise<void> {
  const explicit = new Consumer<typeof workspace>(network, workspace);
  const inferred = new Consumer(network, workspace);

  const { job, result } = await explicit.addJob('add.js', { a: 1, b: 2 });
  const id: string = job.id;
  const sum: number = await result;
  // @ts-expect-error the result of add.js is a number
  const wrong: string = await result;

  const greeting: string = await (await inferred.addJob('greet.js', { name: 'x' })).result;
  // @ts-expect-error no such script
  await inferred.addJob('nope.js', {});
  // @ts-expect-error params of add.js need numbers
  await inferred.addJob('add.js', { a: '1', b: 2 });
  // @ts-expect-error params of add.js need b
  await inferred.addJob('add.js', { a: 1 });
  void [id, sum, wrong, greeting];
}

export async function classAsTypeArgument(): Promise<void> {
  // The original document writes the class, `Consumer<typeof Workspace>`: it compiles, untyped.
  const consumer = new Consumer<typeof Workspace>(network, workspace);
  const { result } = await consumer.addJob('any.js', { anything: true });
  const value: unknown = await result;
  // @ts-expect-error an untyped result is unknown, not a number
  const sum: number = await result;
  // @ts-expect-error the argument is still a workspace
  new Consumer<typeof Workspace>(network, { root: '/path' });
  void [value, sum];
}

export function workerTyping(): void {
  const worker = new Worker<typeof workspace, 'add.js'>();
  const a: number = worker.params.a;
  // @ts-expect-error params of add.js have no c
  void worker.params.c;
  worker.resolve(a + worker.params.b);
  // @ts-expect-error add.js resolves a number
  worker.resolve('three');
}

export async function schemaTyping(): Promise<void> {
  const typed = new Workspace('/path', {
    'add.js': { params: Type.Object({ a: Type.Number(), b: Type.Number() }), result: Type.Number() },
  });
  const consumer = new Consumer(network, typed);
  const value: number = await (await consumer.addJob('add.js', { a: 1, b: 2 })).result;
  // @ts-expect-error the schema says numbers
  await consumer.addJob('add.js', { a: 'x', b: 2 });
  // @ts-expect-error the schema declares only add.js
  await consumer.addJob('other.js', {});
  const handler: JobHandler<typeof typed, 'add.js'> = ({ a, b }) => a + b;
  void [value, handler];
}

export async function untypedWorkspace(): Promise<void> {
  const consumer = new Consumer(network, new Workspace('/path'));
  const { result } = await consumer.addJob('anything.js', { any: 'params' });
  const value: unknown = await result;
  // @ts-expect-error an untyped result is unknown, not any
  const n: number = await result;
  void [value, n];
}

export async function factoryTyping(): Promise<void> {
  // The item type flows from what manager resolves into workerProcess, and the result into the events.
  const factory = new ThreadFactory({
    manager: () => Promise.resolve(['a.log', 'b.log']),
    workerProcess: (key, resume) => Promise.resolve({ key: key.toUpperCase(), by: resume.id }),
  });
  factory.on('completed', ({ item, result }) => {
    const name: string = item;
    const by: string = result.by;
    void [name, by];
  });
  factory.on('error', (error, failed) => void [error.message, failed?.index]);
  factory.on('finished', (summary) => void summary.failures.map((failure) => failure.item.length));
  new ThreadFactory({
    // @ts-expect-error the worker takes strings, and the manager lists numbers
    manager: () => [1, 2, 3],
    worker: (key: string) => key,
  });
  const summary = await factory.start();
  const count: number = summary.completed;
  void count;
}
