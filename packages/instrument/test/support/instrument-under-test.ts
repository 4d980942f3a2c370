import { fileURLToPath } from 'node:url';
import { Workspace, type AnyWorkspace } from '@orchestra/core';
import { PROTOCOL_VERSION, mailboxes, waitUntil, type InstrumentMessage, type Settlement } from '@orchestra/core/internal';
import { Instrument, type InstrumentOptions } from '@orchestra/instrument';
import { MailboxCollector } from '@orchestra/network-conformance';
import { MemNetwork } from '@orchestra/network-mem';

/** The workspace of this package's test scripts. */
export const fixtures: AnyWorkspace = new Workspace(fileURLToPath(new URL('../fixtures', import.meta.url)));

/** A message the instrument sent to the composer, as far as these tests read it. */
export interface Reported {
  readonly type: string;
  readonly credits?: number;
  readonly busy?: number;
  readonly settlements?: readonly Settlement[];
  readonly updates?: readonly { readonly id: string; readonly value: string }[];
}

/** An assigned job, as the composer would send it. */
export interface Assigned {
  readonly id: string;
  readonly script: string;
  readonly params?: unknown;
  readonly timeout?: number;
}

/**
 * A real instrument on a MemNetwork, with the test standing in for the composer: it sends the
 * instrument `assign` and `cancel` messages and reads what the instrument tells the composer.
 */
export class InstrumentUnderTest {
  readonly network = new MemNetwork();
  readonly instrument: Instrument;
  readonly #composer: MailboxCollector;

  constructor(threads: number, options: InstrumentOptions = {}) {
    this.#composer = new MailboxCollector(this.network, mailboxes.composer);
    this.instrument = new Instrument(this.network, fixtures, threads, { id: 'under-test', ...options });
  }

  /** Everything the instrument sent the composer so far, in order. */
  get reported(): Reported[] {
    return this.#composer.messages as Reported[];
  }

  /** Every settlement reported so far, in order. */
  get settlements(): Settlement[] {
    return this.reported.flatMap((message) => message.settlements ?? []);
  }

  /** The settlement of job `id`, once reported. */
  async settlementOf(id: string, timeoutMs?: number): Promise<Settlement> {
    await waitUntil(() => this.settlements.some((s) => s.id === id), `job ${id} settled`, timeoutMs);
    return this.settlements.find((s) => s.id === id) as Settlement;
  }

  /** Credits granted since the hello, in `credit` and `done` messages. */
  get creditsAfterHello(): number {
    return this.reported.filter((m) => m.type === 'credit' || m.type === 'done').reduce((sum, m) => sum + (m.credits ?? 0), 0);
  }

  async assign(...jobs: Assigned[]): Promise<void> {
    const wire = jobs.map(({ params, ...job }) => ({ ...job, attempt: 1, ...(params === undefined ? {} : { params: JSON.stringify(params) }) }));
    await this.#send({ v: PROTOCOL_VERSION, type: 'assign', epoch: 1, jobs: wire });
  }

  async cancel(...ids: string[]): Promise<void> {
    await this.#send({ v: PROTOCOL_VERSION, type: 'cancel', epoch: 1, ids });
  }

  async #send(message: InstrumentMessage): Promise<void> {
    await this.network.send(mailboxes.instrument(this.instrument.id), [message]);
  }

  async close(): Promise<void> {
    await this.instrument.close();
    await this.#composer.receiver.close();
    await this.network.close();
  }
}
