/** `@orchestra/network-mem`: the in-process network. */
export { MemNetwork } from './mem-network.js';
