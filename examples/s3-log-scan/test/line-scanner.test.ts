import { describe, expect, it } from '@jest/globals';
import { LineScanner } from '../src/line-scanner.js';
import type { MatchRule } from '../src/match-rule.js';

const rule: MatchRule = { errorCode: 505 };

function scan(chunks: readonly Buffer[], options: { strict?: boolean; rule?: MatchRule } = {}): { lines: number; malformed: number; matches: string[] } {
  const matches: string[] = [];
  const scanner = new LineScanner(options.rule ?? rule, (line) => matches.push(line), options);
  for (const chunk of chunks) scanner.push(chunk);
  scanner.end();
  expect(scanner.matches).toBe(matches.length);
  return { lines: scanner.lines, malformed: scanner.malformed, matches };
}

const text = [
  '{"time":"2017-11-01T00:00:00.000Z","error":505,"msg":"a match"}',
  '{"time":"2017-11-01T00:00:01.000Z","error":500,"status":505,"msg":"505 in text, error 500"}',
  '{"time":"2017-11-01T00:00:02.000Z","error":"505","msg":"a string is not the number"}',
  '{"time":"2017-11-01T00:00:03.000Z","error":5050}',
  '   ',
  '{"time":"2017-11-01T00:00:04.000Z","error":505,"msg":"CRLF and spaces around"}  \r',
  '{"time":"2017-11-01T00:00:05.000Z","error":505,',
  '--- log rotated ---',
  '{"error":505,}',
  '[505]',
  '',
  '{"time":"2017-11-02T00:00:00.000Z","level":"info","msg":"ünïcödé ✓"}',
  '{"time":"2017-11-02T00:00:01.000Z","error":505,"msg":"last line, no newline"}',
].join('\n');

describe('LineScanner', () => {
  it('finds the records whose error is the number, counts lines and malformed ones, skips blank lines', () => {
    const result = scan([Buffer.from(text)]);
    expect(result.lines).toBe(11);
    // Cut short, plain text, broken JSON holding the code, an array.
    expect(result.malformed).toBe(4);
    expect(result.matches).toEqual([
      '{"time":"2017-11-01T00:00:00.000Z","error":505,"msg":"a match"}',
      '{"time":"2017-11-01T00:00:04.000Z","error":505,"msg":"CRLF and spaces around"}',
      '{"time":"2017-11-02T00:00:01.000Z","error":505,"msg":"last line, no newline"}',
    ]);
  });

  it('gives the same answer however the data is cut into chunks, even inside a line, the code or a character', () => {
    const bytes = Buffer.from(text);
    const whole = scan([bytes]);
    for (let size = 1; size <= 23; size += 1) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
      expect(scan(chunks)).toEqual(whole);
    }
    for (let cut = 1; cut < bytes.length; cut += 1) {
      expect(scan([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
  });

  it('in strict mode parses every line, so an object-framed line that is not JSON counts as malformed', () => {
    const data = Buffer.from('{"level":"info",}\n{"error":505}\n');
    expect(scan([data]).malformed).toBe(0);
    expect(scan([data], { strict: true })).toEqual({ lines: 2, malformed: 1, matches: ['{"error":505}'] });
  });

  it('applies the time window to matches: from included, to excluded, records without a time left out', () => {
    const data = Buffer.from(
      [
        '{"time":"2017-11-02T23:59:59.999Z","error":505}',
        '{"time":"2017-11-03T00:00:00.000Z","error":505}',
        '{"time":"2017-11-03T23:59:59.999Z","error":505}',
        '{"time":"2017-11-04T00:00:00.000Z","error":505}',
        '{"error":505}',
        '{"time":"yesterday","error":505}',
      ].join('\n'),
    );
    const window = { errorCode: 505, fromMs: Date.parse('2017-11-03'), toMs: Date.parse('2017-11-04') };
    expect(scan([data], { rule: window }).matches).toEqual(['{"time":"2017-11-03T00:00:00.000Z","error":505}', '{"time":"2017-11-03T23:59:59.999Z","error":505}']);
  });

  it('finds another error code', () => {
    expect(scan([Buffer.from('{"error":505}\n{"error":404}\n{"error":4040}\n')], { rule: { errorCode: 404 } }).matches).toEqual(['{"error":404}']);
  });
});
