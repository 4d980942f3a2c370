import { describe, expect, it } from '@jest/globals';
import { InvalidArgumentError, type Network, Workspace } from '@orchestra/core';
import { tmpdir } from 'node:os';
import { Consumer } from '../src/index.js';

describe('Consumer arguments', () => {
  it('refuses something that is not a Network', () => {
    expect(() => new Consumer({} as Network, new Workspace(tmpdir()))).toThrow(InvalidArgumentError);
  });
});
