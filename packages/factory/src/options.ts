import type { Logger, Network } from '@orchestra/core';

/** The second argument of `new ThreadFactory(spec, options)`. */
export interface FactoryOptions {
  /** Worker threads on this machine (default: its cores). Ignored with `network`: the instruments decide. */
  readonly threads?: number;
  /**
   * Where the items run. Default: a `MemNetwork` in this process, with a composer and an instrument
   * of `threads` threads. With a `RedisNetwork`, items spread over the instruments of that network
   * (started with `orchestra instrument`, say), whose workspace must hold this same file. Pass a
   * function that makes it to make it only in the main program: every thread loads this file too.
   * A network made by the factory (the default, or by that function) is closed at the end; one
   * passed as an object is left open.
   */
  readonly network?: Network | (() => Network);
  /** Runs each item may fail before it fails for good (default 1). */
  readonly attempts?: number;
  /** Longest one run of an item may take, in ms. */
  readonly timeout?: number;
  /** The file that holds the spec (default: the file that called `new ThreadFactory`). */
  readonly file?: string;
  /** Its name in the instruments' workspace (default: the file's name; its folder is the workspace here). */
  readonly script?: string;
  /** Where problems are reported (default: the console). */
  readonly logger?: Logger;
}
