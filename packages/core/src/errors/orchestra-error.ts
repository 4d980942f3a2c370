/**
 * The base of every error Orchestra raises. Each failure has its own subclass and a stable `code`
 * (`ORCHESTRA_…`), so callers can tell failures apart with `instanceof`, with `error.code`, or with
 * {@link isOrchestraError} when two copies of the package are loaded (where `instanceof` fails).
 */
export class OrchestraError extends Error {
  /** A stable, machine-readable code, e.g. `ORCHESTRA_SCRIPT_NOT_FOUND`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /** Recognises Orchestra errors across copies of this package, worker threads and networks. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === OrchestraError) return isOrchestraError(value);
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** Set on every Orchestra error; `Symbol.for` so a second copy of the package recognises it. */
const marker = Symbol.for('orchestra.error');
Object.defineProperty(OrchestraError.prototype, marker, { value: true });

/** True for any error raised by Orchestra (any copy of the package), or rebuilt from one that crossed a thread or network. */
export function isOrchestraError(value: unknown): value is OrchestraError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
