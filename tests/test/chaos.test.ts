import { describe, expect, it } from '@jest/globals';
import { runChaos } from './support/chaos.js';

// CI runs a short version; `pnpm chaos` runs 20 000 jobs (CHAOS_JOBS, CHAOS_SECONDS).
const jobs = Number(process.env['CHAOS_JOBS'] ?? 3_000);
const seconds = Number(process.env['CHAOS_SECONDS'] ?? 12);

describe('chaos', () => {
  it(`settles ${jobs} jobs, none lost, duplicated or wrong, while instruments, the acting composer and Redis are killed`, async () => {
    const lines: string[] = [];
    const summary = await runChaos({ jobs, seconds, print: (line) => lines.push(line) });
    const table = [
      `settled            ${summary.settled} of ${summary.jobs}`,
      `lost               ${summary.lost}`,
      `duplicateResults   ${summary.duplicateResults}`,
      `wrong              ${summary.wrong}`,
      `failed             ${summary.failed}${summary.failed > 0 ? ` ${JSON.stringify(summary.errors)}` : ''}`,
      `ranMoreThanOnce    ${summary.ranMoreThanOnce} (at-least-once allows it; ${summary.runs} runs in all)`,
      `duplicate settlements dropped by the consumer: ${summary.duplicateDeliveries}`,
      `addJob calls refused while Redis was down, made again: ${summary.addRetries}`,
      `standby took over in ${summary.takeoverMs} ms; whole run ${summary.elapsedMs} ms`,
    ];
    // The chaos run's own report, printed whether it passes or not.
    process.stdout.write(`\nchaos: faults\n${lines.join('\n')}\nchaos: outcome\n${table.join('\n')}\n`);
    expect(summary).toMatchObject({ settled: jobs, lost: 0, duplicateResults: 0, wrong: 0, failed: 0 });
  }, (Number(process.env['CHAOS_SECONDS'] ?? 12) * 4 + 120) * 1_000);
});
