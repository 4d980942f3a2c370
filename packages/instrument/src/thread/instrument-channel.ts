import { MessageChannel, parentPort, threadId } from 'node:worker_threads';
import type { ControlMessage, ThreadEvent, ThreadPortHandover } from './thread-protocol.js';

/**
 * This thread's channel to its instrument, both ways. Everything but the batches themselves
 * travels on it (Piscina carries those): progress, "a timed run started", stop orders and the
 * `finish()` hooks. One channel keeps a run's progress in order, and ahead of the batch's result:
 * the instrument reads this channel dry before it uses a result this thread returned.
 */
const { port1: channel, port2: instrumentEnd } = new MessageChannel();

let connected = false;
let markConnected!: () => void;
const whenConnected = new Promise<void>((resolve) => (markConnected = resolve));

/** Posts an event to the instrument. */
export function postToInstrument(event: ThreadEvent): void {
  channel.postMessage(event);
}

/**
 * Starts listening to the instrument and hands it its end of the channel, on `parentPort`: the
 * one message that goes there, since Piscina reads every other message on it as its own.
 */
export function listenToInstrument(handle: (message: ControlMessage) => void): void {
  channel.on('message', (message: ControlMessage) => {
    if (message.type !== 'connected') handle(message);
    else if (!connected) {
      connected = true;
      markConnected();
    }
  });
  // The channel must not keep a finished thread alive; Piscina decides when threads end.
  channel.unref();
  const handover: ThreadPortHandover = { '~orchestra': 'port', threadId, port: instrumentEnd };
  parentPort?.postMessage(handover, [instrumentEnd]);
}

/**
 * Undefined once the instrument holds this thread's channel, else a promise of it. `parentPort`
 * and the channel are not ordered with Piscina's port: a batch that ran before the instrument had
 * the channel could return ahead of the progress it posted.
 */
export function untilConnected(): Promise<void> | undefined {
  return connected ? undefined : whenConnected;
}
