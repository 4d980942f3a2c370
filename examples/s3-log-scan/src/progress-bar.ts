import { SingleBar } from 'cli-progress';
import { formatBytes } from './summary-text.js';
import type { ScanProgress } from './run-scan.js';

/** Something that shows a scan's progress. */
export interface ProgressView {
  update(progress: ScanProgress): void;
  stop(): void;
}

/**
 * A progress bar on stderr (objects done of listed, bytes, matches, speed), only when stderr is a
 * terminal: piped or redirected output gets no control characters. Otherwise it shows nothing.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (stream.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream,
    format: ' {bar} {value}/{total} objects | {bytes} | {matches} matches | {speed} MB/s',
    hideCursor: true,
    clearOnComplete: true,
    barsize: 30,
  });
  let started = false;
  return {
    update(progress) {
      const values = {
        bytes: formatBytes(progress.uncompressedBytes),
        matches: progress.matches.toLocaleString('en-US'),
        speed: (progress.uncompressedBytes / 1e6 / Math.max(progress.elapsedMs / 1000, 0.001)).toFixed(1),
      };
      if (!started) {
        bar.start(progress.listed, progress.objects, values);
        started = true;
      } else bar.update(progress.objects, values);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
