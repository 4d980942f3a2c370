import type { NetworkStatus } from './query-status.js';

/** `1h 2m`, `3m 4s`, `5s`: how long, to the precision a person reads. */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const [d, h, m, s] = [Math.floor(seconds / 86_400), Math.floor(seconds / 3600) % 24, Math.floor(seconds / 60) % 60, seconds % 60];
  if (d > 0) return `${String(d)}d ${String(h)}h`;
  if (h > 0) return `${String(h)}h ${String(m)}m`;
  if (m > 0) return `${String(m)}m ${String(s)}s`;
  return `${String(s)}s`;
}

/** A rate with the digits that matter: `0`, `0.25`, `12.5`, `1234`. */
export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0';
  if (perSecond < 10) return perSecond.toFixed(2);
  if (perSecond < 100) return perSecond.toFixed(1);
  return String(Math.round(perSecond));
}

const plural = (n: number, one: string, many: string): string => `${String(n)} ${n === 1 ? one : many}`;

/** Lays rows out in columns: the first left-aligned, the others (numbers) right-aligned. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The human form of `orchestra status`: a few summary lines, then one row per instrument.
 *
 * ```text
 * Namespace   default
 * Composer    composer-Vf3k… (lease epoch 1, acting for 2m 5s)
 * Jobs        0 queued, 0 running, 40 done, 2 failed; 12.5 jobs/s
 * Threads     0 busy, 2 free, 2 in all, on 1 instrument
 *
 * INSTRUMENT          THREADS  BUSY  FREE  HELD
 * instrument-Zx81…          2     0     2     0
 * ```
 */
export function formatStatus(status: NetworkStatus, namespace: string): string {
  const { snapshot } = status;
  let threads = 0;
  let busy = 0;
  for (const instrument of snapshot.instruments) {
    threads += instrument.threads;
    busy += Math.min(instrument.busy, instrument.threads);
  }
  const lines = [
    `Namespace   ${namespace}`,
    `Composer    ${status.composer} (lease epoch ${String(status.epoch)}, acting for ${formatDuration(snapshot.uptimeMs)})`,
    `Jobs        ${String(snapshot.queued)} queued, ${String(snapshot.running)} running, ${String(snapshot.done)} done, ` +
      `${String(snapshot.failed)} failed; ${formatRate(snapshot.jobsPerSecond)} jobs/s`,
    `Threads     ${String(busy)} busy, ${String(threads - busy)} free, ${String(threads)} in all, ` +
      `on ${plural(snapshot.instruments.length, 'instrument', 'instruments')}`,
    '',
  ];
  if (snapshot.instruments.length === 0) {
    lines.push('No instruments. Start one with: orchestra instrument --workspace DIR');
  } else {
    const sorted = [...snapshot.instruments].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rows = sorted.map((i) => {
      const iBusy = Math.min(i.busy, i.threads);
      return [i.id, String(i.threads), String(iBusy), String(i.threads - iBusy), String(i.held)];
    });
    lines.push(...table([['INSTRUMENT', 'THREADS', 'BUSY', 'FREE', 'HELD'], ...rows]));
  }
  return `${lines.join('\n')}\n`;
}

/** The JSON form of `orchestra status --json`: the snapshot, flat, with where it came from. */
export function statusJson(status: NetworkStatus, namespace: string): string {
  return `${JSON.stringify({ namespace, composer: status.composer, epoch: status.epoch, ...status.snapshot }, null, 2)}\n`;
}
