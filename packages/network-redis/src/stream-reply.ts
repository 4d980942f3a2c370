/** One stream entry as read: its id, and the messages it carries. */
export interface StreamEntry {
  readonly id: string;
  /**
   * The messages sent together in this entry. Empty for an entry deleted while pending. Text that
   * is not a JSON array, or an entry without the `m` field (someone else wrote to the stream, or it
   * was damaged), is handed on as one message, the raw value, so the role's validation counts and
   * logs it like any other invalid message rather than the adapter dropping it unseen.
   */
  readonly messages: unknown[];
}

/**
 * Reads the reply of `XREADGROUP … STREAMS <one key> <id>`: `null` on a timeout, otherwise
 * `[[key, [[id, [field, value, …] | null], …]]]` (RESP2) or `[key, […]]` (a RESP3 map, flattened).
 * Anything else is an empty read: a reply is data from the network and is checked before use.
 */
export function parseStreamReply(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  const stream: unknown = typeof reply[0] === 'string' ? reply : reply[0];
  if (!Array.isArray(stream)) return [];
  return parseEntries(stream[1]);
}

/** Reads a list of entries, `[[id, [field, value, …] | null], …]`: what XCLAIM answers. */
export function parseEntries(entries: unknown): StreamEntry[] {
  if (!Array.isArray(entries)) return [];
  const out: StreamEntry[] = [];
  for (const entry of entries as unknown[]) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
    out.push({ id: entry[0], messages: decodeFields(entry[1]) });
  }
  return out;
}

function decodeFields(fields: unknown): unknown[] {
  if (fields === null || fields === undefined) return [];
  if (Array.isArray(fields) && fields.length === 2 && fields[0] === 'm' && typeof fields[1] === 'string') return decodeText(fields[1]);
  return [fields];
}

function decodeText(text: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [text];
  }
  return Array.isArray(value) ? value : [text];
}
