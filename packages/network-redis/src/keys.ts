import { InvalidArgumentError } from '@orchestra/core';

/** Namespaces are short and brace-free, so the hash tag `{namespace}` stays intact. */
const NAMESPACE = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Mailbox and lease names as the roles make them: `composer`, `instrument.<id>`, `consumer.<id>`. */
const NAME = /^[A-Za-z0-9_.:-]{1,200}$/;

/** The consumer group every mailbox stream is read through. */
export const GROUP = 'orchestra';

/**
 * Names every Redis key of one network. All keys share the hash tag `{<namespace>}`, so on a Redis
 * Cluster a network lives in one slot and multi-key scripts stay legal.
 */
export class Keys {
  readonly namespace: string;
  readonly #prefix: string;

  constructor(namespace: string) {
    if (!NAMESPACE.test(namespace)) {
      throw new InvalidArgumentError(`namespace must be 1-64 characters of A-Z a-z 0-9 _ . : - (got ${JSON.stringify(namespace)})`);
    }
    this.namespace = namespace;
    this.#prefix = `orchestra:{${namespace}}:`;
  }

  /** The stream that holds a mailbox. */
  mailbox(name: string): string {
    return `${this.#prefix}mailbox:${checkName('mailbox', name)}`;
  }

  /** A random id written once per data set, to notice a Redis that came back without it. */
  dataMarker(): string {
    return `${this.#prefix}data-marker`;
  }

  /** The string key that holds a lease's holder, with the lease's time to live. */
  lease(name: string): string {
    return `${this.#prefix}lease:${checkName('lease', name)}`;
  }

  /** The counter of a lease's epochs; never expires, so epochs only grow. */
  leaseEpoch(name: string): string {
    return `${this.#prefix}lease-epoch:${checkName('lease', name)}`;
  }

  /**
   * When a lease's last grant or renewal runs out: a key living a day longer than the lease, so a
   * lease key that went missing before then is known to have been lost, not to have lapsed.
   */
  leaseUntil(name: string): string {
    return `${this.#prefix}lease-until:${checkName('lease', name)}`;
  }
}

function checkName(kind: string, name: string): string {
  if (!NAME.test(name)) throw new InvalidArgumentError(`${kind} name must be 1-200 characters of A-Z a-z 0-9 _ . : - (got ${JSON.stringify(name)})`);
  return name;
}
