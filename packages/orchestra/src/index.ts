/**
 * `@orchestra/orchestra`: all of Orchestra in one package, for the original document's code. Every
 * public name of the core, the roles (Composer, Instrument, Consumer) and both networks, plus the
 * document's `Network` class. Machines that run one role can install that role's package instead.
 */
export * from '@orchestra/core';
export * from '@orchestra/composer';
export * from '@orchestra/consumer';
export * from '@orchestra/instrument';
export * from '@orchestra/network-mem';
export * from '@orchestra/network-redis';
// Exported by name, so it takes the place of core's `Network` type: the class's instances have exactly
// the contract's members, so as a type it still describes any network.
export { Network } from './network.js';
