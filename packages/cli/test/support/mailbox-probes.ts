import { InvalidArgumentError, type MailboxReceiver, type Network } from '@orchestra/core';
import { MailboxCollector, waitUntil } from '@orchestra/network-conformance';

/**
 * Whether somebody reads `mailbox` now. A MemNetwork refuses a second receiver of a mailbox, so a
 * probe that is refused has found one; one that is not closes again before anything is delivered.
 */
export async function isReceived(network: Network, mailbox: string): Promise<boolean> {
  let probe: MailboxReceiver;
  try {
    probe = network.receive(mailbox, () => Promise.reject(new TypeError('a probe acknowledges nothing')), { onError: () => undefined });
  } catch (error) {
    if (error instanceof InvalidArgumentError) return true;
    throw error;
  }
  await probe.close();
  return false;
}

/**
 * What `mailbox` still holds: a new receiver reads it up to a marker sent after it attached, so
 * "nothing" is known without waiting for a while. Throws if somebody else reads the mailbox.
 */
export async function leftInMailbox(network: Network, mailbox: string): Promise<unknown[]> {
  const marker = { v: 0, type: 'end-of-probe' };
  const reader = new MailboxCollector(network, mailbox);
  await network.send(mailbox, [marker]);
  await waitUntil(() => reader.messages.includes(marker), `the probe's marker came back from ${mailbox}`);
  await reader.receiver.close();
  return reader.messages.slice(0, reader.messages.indexOf(marker));
}
