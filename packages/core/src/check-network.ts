import { InvalidArgumentError } from './errors/lifecycle-errors.js';
import { NETWORK_CONTRACT_VERSION, type Network } from './network.js';

/** Refuses anything that is not a network implementing this version of the contract. */
export function checkNetwork(network: unknown): asserts network is Network {
  const version = (network as Partial<Network> | undefined)?.contractVersion;
  if (version !== NETWORK_CONTRACT_VERSION) {
    throw new InvalidArgumentError(
      `network must implement the Network contract version ${String(NETWORK_CONTRACT_VERSION)} (got ${String(version)})`,
    );
  }
}
