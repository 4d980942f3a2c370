/**
 * Thrown inside the value check when a part of the value cannot travel faithfully. Each container
 * on the way up adds its key, so the path costs nothing until something is refused. Internal:
 * `encodeJson` turns it into a `NotSerializableError`.
 */
export class Refusal extends Error {
  /** Keys from the refused part up to the root (innermost first, as the stack unwinds). */
  readonly keys: (string | number)[] = [];
  /** For a cycle: how many keys deep the object is that the cycle closes back to. */
  readonly cycleDepth: number | undefined;

  constructor(reason: string, options?: { cause?: unknown; cycleDepth?: number }) {
    super(reason, options?.cause === undefined ? undefined : { cause: options.cause });
    this.cycleDepth = options?.cycleDepth;
  }

  /**
   * `error`, raised while checking the part under `key`, as a Refusal with `key` added to its path.
   * Anything else thrown there (a getter, a proxy trap, a stack overflow) becomes a Refusal too.
   */
  static at(error: unknown, key: string | number): Refusal {
    const refusal = error instanceof Refusal ? error : Refusal.thrown(error, 'threw while being read');
    refusal.keys.push(key);
    return refusal;
  }

  /** A Refusal for an error thrown by the value's own code; `doing` says when it threw. */
  static thrown(error: unknown, doing: string): Refusal {
    const message = error instanceof Error ? error.message : String(error);
    // Near the stack's end even a RegExp fails to compile (a SyntaxError), so match on the text alone.
    if (message.includes('Maximum call stack size exceeded')) return new Refusal('is nested too deeply to check', { cause: error });
    return new Refusal(`${doing}: ${message}`, { cause: error });
  }
}
