// What a run cost Redis: commands (INFO commandstats), server CPU and bytes, per job.
import { Redis } from 'ioredis';

/** Commands the bench itself sends around a measurement; not counted. */
const OURS = new Set(['info', 'config|resetstat', 'flushall']);

/**
 * Measures Redis over one run. On a server the bench started (`owned`), each set-up starts from
 * FLUSHALL and each measurement from CONFIG RESETSTAT; on a server given by REDIS_URL nothing is
 * flushed or reset, and the figures are differences between two snapshots (other clients of that
 * server then count too).
 */
export class RedisMeter {
  #redis;
  #owned;
  #before;

  constructor(url, owned) {
    this.#redis = new Redis(url, { maxRetriesPerRequest: 3, connectionName: 'orchestra-bench-meter' });
    this.#owned = owned;
  }

  /** Before a set-up starts its processes: an empty server, when it is ours. */
  async fresh() {
    if (this.#owned) await this.#redis.flushall();
  }

  /** Right before the measured run. */
  async begin() {
    if (this.#owned) await this.#redis.config('RESETSTAT');
    this.#before = await this.#snapshot();
  }

  /** Right after the measured run of `jobs` jobs: totals and per-job figures. */
  async end(jobs) {
    const after = await this.#snapshot();
    const before = this.#before;
    const calls = [];
    for (const [name, count] of after.calls) {
      if (OURS.has(name)) continue;
      const delta = count - (before.calls.get(name) ?? 0);
      if (delta > 0) calls.push({ name, calls: delta });
    }
    calls.sort((a, b) => b.calls - a.calls);
    const commands = calls.reduce((sum, { calls: n }) => sum + n, 0);
    return {
      commands,
      commandsPerJob: commands / jobs,
      top: calls.slice(0, 3).map(({ name, calls: n }) => ({ name, perJob: n / jobs })),
      redisCpuUsPerJob: ((after.cpuSeconds - before.cpuSeconds) * 1e6) / jobs,
      bytesInPerJob: (after.bytesIn - before.bytesIn) / jobs,
      bytesOutPerJob: (after.bytesOut - before.bytesOut) / jobs,
    };
  }

  /** Deletes a set-up's keys on a server that is not ours (ours is flushed instead). */
  async forget(patterns) {
    if (this.#owned) return;
    for (const pattern of patterns) {
      let cursor = '0';
      do {
        const [next, keys] = await this.#redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await this.#redis.unlink(...keys);
      } while (cursor !== '0');
    }
  }

  async close() {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  async #snapshot() {
    const [commandstats, cpu, stats] = await Promise.all([
      this.#redis.info('commandstats'),
      this.#redis.info('cpu'),
      this.#redis.info('stats'),
    ]);
    const calls = new Map();
    for (const match of commandstats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1], Number(match[2]));
    const field = (text, name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
    return {
      calls,
      cpuSeconds: field(cpu, 'used_cpu_user') + field(cpu, 'used_cpu_sys'),
      bytesIn: field(stats, 'total_net_input_bytes'),
      bytesOut: field(stats, 'total_net_output_bytes'),
    };
  }
}
