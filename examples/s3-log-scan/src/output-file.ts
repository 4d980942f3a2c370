import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A thread's output file, `DIR/output-<worker id>.ldjson`: opened on the first match, one append at
 * a time (objects scanned at once on a thread share it), each resolved once the bytes are written,
 * so an item reports completed only after its matches are in the file.
 */
export class OutputFile {
  readonly path: string;
  #handle: Promise<FileHandle> | undefined;
  #last: Promise<unknown> = Promise.resolve();

  constructor(directory: string, workerId: string) {
    this.path = join(directory, `output-${workerId}.ldjson`);
  }

  /** Appends the lines, each followed by a newline. */
  append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return Promise.resolve();
    const text = `${lines.join('\n')}\n`;
    const written = this.#last.then(async () => {
      this.#handle ??= mkdir(join(this.path, '..'), { recursive: true }).then(() => open(this.path, 'a'));
      await (await this.#handle).appendFile(text);
    });
    // A failed append fails its own caller; the next one still runs.
    this.#last = written.catch(() => undefined);
    return written;
  }

  /** Waits for the appends, then closes the file. */
  async close(): Promise<void> {
    await this.#last;
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle !== undefined) await (await handle).close();
  }
}
