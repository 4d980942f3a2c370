import { describe, expect, it } from '@jest/globals';
import { InvalidArgumentError } from '@orchestra/core';
import { callerFile } from '../src/caller-file.js';
import { checkSpec } from '../src/spec.js';

describe('checkSpec', () => {
  const manager = (): number[] => [1];
  const process = (n: number): number => n;

  it('returns the worker function under either name', () => {
    expect(checkSpec({ manager, workerProcess: process })).toBe(process);
    expect(checkSpec({ manager, worker: process })).toBe(process);
    expect(checkSpec({ manager, worker: process, workerProcess: process })).toBe(process);
  });

  it('names what is wrong', () => {
    expect(() => checkSpec({ manager })).toThrow(new InvalidArgumentError('ThreadFactory: workerProcess (or worker) must be a function'));
    expect(() => checkSpec({ manager, worker: process, managerFinish: 'x' } as never)).toThrow('managerFinish must be a function, got string');
  });
});

describe('callerFile', () => {
  class Probe {
    readonly file = callerFile(Probe);
  }

  it('finds the file that constructed the class', () => {
    expect(new Probe().file).toMatch(/spec\.test\.ts$/);
  });
});
