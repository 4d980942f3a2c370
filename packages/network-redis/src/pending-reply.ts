/** A consumer of a mailbox's group, as Redis lists it. */
export interface GroupConsumer {
  readonly name: string;
  /** Entries delivered to it and not acknowledged. */
  readonly pending: number;
}

function count(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/**
 * Reads the consumers that hold pending entries from `XINFO CONSUMERS` (`all`: a list of
 * `[field, value, …]` arrays) or from the `XPENDING key group` summary
 * (`[count, first, last, [[name, count], …] | null]`). Replies are data from the network: anything
 * malformed counts as no consumer.
 */
export function consumersWithPending(reply: unknown, all: boolean): GroupConsumer[] {
  if (!Array.isArray(reply)) return [];
  const out: GroupConsumer[] = [];
  if (all) {
    for (const row of reply as unknown[]) {
      if (!Array.isArray(row)) continue;
      let name: unknown;
      let pending = 0;
      for (let i = 0; i + 1 < row.length; i += 2) {
        if (row[i] === 'name') name = row[i + 1];
        else if (row[i] === 'pending') pending = count(row[i + 1]);
      }
      if (typeof name === 'string') out.push({ name, pending });
    }
    return out;
  }
  const consumers: unknown = reply[3];
  if (!Array.isArray(consumers)) return [];
  for (const row of consumers as unknown[]) {
    if (Array.isArray(row) && typeof row[0] === 'string') out.push({ name: row[0], pending: count(row[1]) });
  }
  return out;
}

/** Reads the entry ids of an extended `XPENDING key group - + count consumer` reply. */
export function parsePendingIds(reply: unknown): string[] {
  if (!Array.isArray(reply)) return [];
  const ids: string[] = [];
  for (const row of reply as unknown[]) {
    if (Array.isArray(row) && typeof row[0] === 'string') ids.push(row[0]);
  }
  return ids;
}

/** Orders stream entry ids (`<ms>-<seq>`) as Redis does. */
export function compareEntryIds(a: string, b: string): number {
  const [aMs = '0', aSeq = '0'] = a.split('-');
  const [bMs = '0', bSeq = '0'] = b.split('-');
  return Number(aMs) - Number(bMs) || Number(aSeq) - Number(bSeq);
}
