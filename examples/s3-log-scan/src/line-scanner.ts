import { isMatch, isRecord, type MatchRule } from './match-rule.js';

const NEWLINE = 0x0a;
const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }

/** Space, tab and carriage return: what a line may carry around its JSON (CRLF files end lines with \r). */
function isBlank(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d;
}

/**
 * Scans gunzipped ld-json as it streams: counts lines and malformed lines, and hands each matching
 * record's text to `onMatch`. Blank lines are skipped (neither lines nor malformed).
 *
 * The cheap check: a record whose `error` is the number 505 has the digits `505` in its text (JSON
 * writers, `JSON.stringify` among them, print integers as plain digits), so only lines holding the
 * code's digits are parsed; finding them is one native `indexOf` over each chunk. Every other line
 * is only checked to be framed as an object (`{` … `}`) and counted malformed if it is not. With
 * `strict`, every line is parsed, which also counts an object-framed line that is not valid JSON.
 */
export class LineScanner {
  lines = 0;
  malformed = 0;
  matches = 0;
  readonly #rule: MatchRule;
  readonly #needle: Buffer;
  readonly #strict: boolean;
  readonly #onMatch: (line: string) => void;
  /** The start of a line the last chunk ended in the middle of. */
  #rest: Buffer | undefined;

  constructor(rule: MatchRule, onMatch: (line: string) => void, options: { strict?: boolean } = {}) {
    this.#rule = rule;
    this.#needle = Buffer.from(String(rule.errorCode));
    this.#strict = options.strict ?? false;
    this.#onMatch = onMatch;
  }

  /** Scans the next chunk; lines may span chunks. */
  push(chunk: Buffer): void {
    let start = 0;
    if (this.#rest !== undefined) {
      const end = chunk.indexOf(NEWLINE);
      if (end === -1) {
        this.#rest = Buffer.concat([this.#rest, chunk]);
        return;
      }
      const line = Buffer.concat([this.#rest, chunk.subarray(0, end)]);
      this.#rest = undefined;
      this.#line(line, 0, line.length, line.indexOf(this.#needle) !== -1);
      start = end + 1;
    }
    let hit = chunk.indexOf(this.#needle, start);
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) break;
      // The needle holds no newline, so a hit before this line's end lies wholly inside the line.
      const candidate = hit !== -1 && hit < end;
      this.#line(chunk, start, end, candidate);
      start = end + 1;
      if (candidate) hit = chunk.indexOf(this.#needle, start);
    }
    if (start < chunk.length) this.#rest = Buffer.from(chunk.subarray(start));
  }

  /** Scans the last line, when the data does not end with a newline. */
  end(): void {
    const rest = this.#rest;
    this.#rest = undefined;
    if (rest !== undefined) this.#line(rest, 0, rest.length, rest.indexOf(this.#needle) !== -1);
  }

  #line(buffer: Buffer, from: number, to: number, candidate: boolean): void {
    let start = from;
    let end = to;
    while (start < end && isBlank(buffer[start])) start += 1;
    while (end > start && isBlank(buffer[end - 1])) end -= 1;
    if (start === end) return;
    this.lines += 1;
    if (candidate || this.#strict) {
      const text = buffer.toString('utf8', start, end);
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        this.malformed += 1;
        return;
      }
      if (!isRecord(record)) this.malformed += 1;
      else if (isMatch(record, this.#rule)) {
        this.matches += 1;
        this.#onMatch(text);
      }
      return;
    }
    if (buffer[start] !== OPEN || buffer[end - 1] !== CLOSE) this.malformed += 1;
  }
}
