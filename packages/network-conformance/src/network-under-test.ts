import type { Network } from '@orchestra/core';

/** One backing network (one Redis namespace, one broker vhost, one MemNetwork) for one case. */
export interface NetworkUnderTest {
  /**
   * Opens a handle to the backing network. Every handle sees the same mailboxes and leases. An
   * in-process network may return the same object each time; a networked one should open a new
   * connection, so that cases can close one handle and carry on with another.
   */
  open(): Network | Promise<Network>;
  /** Closes every handle and frees the backing network. Called once after each case, pass or fail. */
  destroy(): Promise<void>;
}

/** Makes a fresh, empty backing network for each case. */
export type NetworkFactory = () => NetworkUnderTest | Promise<NetworkUnderTest>;
