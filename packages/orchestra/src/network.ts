import {
  ClosedError,
  InvalidArgumentError,
  NETWORK_CONTRACT_VERSION,
  type LeaseGrant,
  type MailboxHandler,
  type MailboxReceiver,
  type Network as NetworkContract,
  type NetworkMessage,
  type ReceiveOptions,
  type SendOptions,
} from '@orchestra/core';
import { MemNetwork } from '@orchestra/network-mem';
import { RedisNetwork, type RedisConnection, type RedisNetworkOptions } from '@orchestra/network-redis';

/** What a {@link Network} handle holds: kept off the instance so its type is exactly the contract. */
interface Handle {
  readonly network: NetworkContract;
  /** The process's in-process network, which other handles and roles share: closing a handle leaves it open. */
  readonly shared: boolean;
  /** Receivers opened through this handle of a shared network, which its `close()` stops. */
  readonly receivers: Set<MailboxReceiver>;
  closed: boolean;
}

// A WeakMap rather than `#private` fields: a class with private fields is nominal in TypeScript, and
// `Network` is also the type users write for any network (`const n: Network = new MemNetwork()`).
const handles = new WeakMap<object, Handle>();

function handleOf(network: object): Handle {
  const handle = handles.get(network);
  if (handle === undefined) throw new TypeError('Network method called on an object that is not a Network');
  return handle;
}

function open(handle: Handle): NetworkContract {
  if (handle.closed) throw new ClosedError('Network');
  return handle.network;
}

/** Runs a promise-returning call so that a synchronous throw (a closed handle) rejects instead. */
async function settled<T>(call: () => Promise<T>): Promise<T> {
  return call();
}

/**
 * The network of the original Orchestra document, as one class:
 *
 * - `new Network()` is the process's in-process network. It joins the open `MemNetwork` made first in
 *   this process (so `new Consumer(new Network(), workspace)` reaches the Composer and Instruments of a
 *   program that made `new MemNetwork()`), or makes one.
 * - `new Network('redis://…' | 'rediss://…', options)` is a {@link RedisNetwork} (it also takes ioredis
 *   options or `{ cluster }`, as `RedisNetwork` does).
 *
 * Pass it to any role, like the adapters themselves.
 */
export class Network implements NetworkContract {
  readonly contractVersion: typeof NETWORK_CONTRACT_VERSION = NETWORK_CONTRACT_VERSION;

  /** The process's in-process network. */
  constructor();
  /** A Redis network: a `redis://` or `rediss://` URL, ioredis options, or `{ cluster }`, and `RedisNetwork`'s options. */
  constructor(connection: RedisConnection, options?: RedisNetworkOptions);
  constructor(connection?: RedisConnection, options?: RedisNetworkOptions) {
    if (connection === undefined) {
      if (options !== undefined) throw new InvalidArgumentError('Network options are for a Redis network: new Network(url, options)');
      handles.set(this, { network: MemNetwork.ofProcess(), shared: true, receivers: new Set(), closed: false });
      return;
    }
    if (typeof connection !== 'string' && (typeof connection !== 'object' || connection === null)) {
      throw new InvalidArgumentError(`Network takes nothing (in-process) or a Redis URL (got ${typeof connection})`);
    }
    handles.set(this, { network: new RedisNetwork(connection, options), shared: false, receivers: new Set(), closed: false });
  }

  send(mailbox: string, messages: readonly NetworkMessage[], options?: SendOptions): Promise<void> {
    return settled(() => open(handleOf(this)).send(mailbox, messages, options));
  }

  receive(mailbox: string, handler: MailboxHandler, options?: ReceiveOptions): MailboxReceiver {
    const handle = handleOf(this);
    const receiver = open(handle).receive(mailbox, handler, options);
    if (!handle.shared) return receiver;
    handle.receivers.add(receiver);
    return {
      close: () => {
        handle.receivers.delete(receiver);
        return receiver.close();
      },
    };
  }

  deleteMailbox(mailbox: string): Promise<void> {
    return settled(() => open(handleOf(this)).deleteMailbox(mailbox));
  }

  acquireLease(name: string, holder: string, ttlMs: number): Promise<LeaseGrant | undefined> {
    return settled(() => open(handleOf(this)).acquireLease(name, holder, ttlMs));
  }

  releaseLease(name: string, holder: string): Promise<void> {
    return settled(() => open(handleOf(this)).releaseLease(name, holder));
  }

  /**
   * A Redis network closes its connection. A handle of the in-process network stops the receivers
   * opened through it and refuses further use; the in-process network stays open for everyone else.
   */
  async close(): Promise<void> {
    const handle = handleOf(this);
    if (handle.closed) return;
    handle.closed = true;
    if (!handle.shared) return handle.network.close();
    const receivers = [...handle.receivers];
    handle.receivers.clear();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  }
}
