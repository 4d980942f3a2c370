/** One item that failed, and why. */
export interface ItemFailure<Item> {
  readonly index: number;
  readonly item: Item;
  readonly error: Error;
}

/** What `finished` reports. */
export interface FactorySummary<Item> {
  /** Items the manager listed. */
  readonly items: number;
  readonly completed: number;
  readonly failed: number;
  readonly failures: readonly ItemFailure<Item>[];
  /** From `start()` until `finished`, in ms. */
  readonly elapsedMs: number;
}

/** What `completed` reports, once per item that finished. */
export interface Completed<Item, Result> {
  /** The item's place in the manager's array. */
  readonly index: number;
  readonly item: Item;
  readonly result: Result;
}

/** Which item an `error` is about (undefined for the manager's own errors). */
export interface FailedItem<Item> {
  readonly index: number;
  readonly item: Item;
}
