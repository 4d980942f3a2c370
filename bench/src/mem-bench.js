// Part 1: tiny jobs in one process. Orchestra over MemNetwork against a raw Piscina pool.
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { Workspace } from '@orchestra/core';
import { MemNetwork } from '@orchestra/network-mem';
import { Composer } from '@orchestra/composer';
import { Instrument } from '@orchestra/instrument';
import { Consumer } from '@orchestra/consumer';

const CHUNK = 10_000; // jobs in flight at once, the same for every side
const ROUNDS = 3;

/** Runs `jobs` tiny jobs through `submit`, `CHUNK` at a time; checks every result; returns jobs/s. */
async function measure(submit, jobs) {
  const started = performance.now();
  for (let first = 0; first < jobs; first += CHUNK) {
    const count = Math.min(CHUNK, jobs - first);
    const pending = [];
    for (let i = first; i < first + count; i++) pending.push(submit(i, 1));
    const results = await Promise.all(pending);
    for (let k = 0; k < count; k++) {
      if (results[k] !== first + k + 1) {
        throw new Error(`wrong result for job ${first + k}: ${results[k]}`);
      }
    }
  }
  return jobs / ((performance.now() - started) / 1000);
}

/**
 * Measures raw Piscina and Orchestra on MemNetwork (handler and imperative scripts), best of
 * `ROUNDS` after a warm-up; prints a table and returns the best jobs/s of each side.
 */
export async function runMemBench({ threads, jobs }) {
  const pool = new Piscina({
    filename: fileURLToPath(new URL('../piscina/add.cjs', import.meta.url)),
    minThreads: threads,
    maxThreads: threads,
  });
  const piscina = (a, b) => pool.run({ a, b });

  const network = new MemNetwork();
  const workspace = new Workspace(fileURLToPath(new URL('../workspace', import.meta.url)));
  const composer = new Composer(network);
  const instrument = new Instrument(network, workspace, threads);
  const consumer = new Consumer(network, workspace);
  const orchestraJob = (script) => async (a, b) => {
    const { result } = await consumer.addJob(script, { a, b });
    return result;
  };

  const sides = {
    piscina,
    orchestra: orchestraJob('add.js'),
    'orchestra (imperative)': orchestraJob('add-imperative.js'),
  };
  const best = Object.fromEntries(Object.keys(sides).map((name) => [name, 0]));

  try {
    console.log(`${jobs} tiny jobs (a + b), ${threads} threads, ${CHUNK} in flight, best of ${ROUNDS}`);
    for (const submit of Object.values(sides)) await measure(submit, jobs); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, submit] of Object.entries(sides)) {
        const rate = await measure(submit, jobs);
        best[name] = Math.max(best[name], rate);
        console.log(`  round ${round + 1} ${name}: ${Math.round(rate)} jobs/s`);
      }
    }

    console.log('');
    console.log(`${'side'.padEnd(24)} ${'jobs/s'.padStart(10)}`);
    for (const [name, rate] of Object.entries(best)) {
      console.log(`${name.padEnd(24)} ${String(Math.round(rate)).padStart(10)}`);
    }
    console.log(`ratio (orchestra/piscina): ${(best.orchestra / best.piscina).toFixed(2)}`);
    console.log(`ratio (orchestra imperative/piscina): ${(best['orchestra (imperative)'] / best.piscina).toFixed(2)}`);
    return best;
  } finally {
    await consumer.close();
    await instrument.close();
    await composer.close();
    await network.close();
    await pool.destroy();
  }
}
