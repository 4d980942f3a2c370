/** A FIFO with O(1) push and shift: a growable ring buffer. */
class Fifo<T> {
  #items: (T | undefined)[] = new Array<T | undefined>(16);
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size) % this.#items.length] = item;
    this.#size += 1;
  }

  unshift(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#head = (this.#head - 1 + this.#items.length) % this.#items.length;
    this.#items[this.#head] = item;
    this.#size += 1;
  }

  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#items.length;
    this.#size -= 1;
    return item;
  }

  #grow(): void {
    const next = new Array<T | undefined>(this.#items.length * 2);
    for (let i = 0; i < this.#size; i += 1) next[i] = this.#items[(this.#head + i) % this.#items.length];
    this.#items = next;
    this.#head = 0;
  }
}

/** The composer's queue: higher priority first, first-in first-out within a priority. */
export class JobQueue<T> {
  readonly #levels = new Map<number, Fifo<T>>();
  /** Priorities that have a FIFO, highest first. */
  #order: number[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  #level(priority: number): Fifo<T> {
    let fifo = this.#levels.get(priority);
    if (fifo === undefined) {
      fifo = new Fifo<T>();
      this.#levels.set(priority, fifo);
      this.#order = [...this.#order, priority].sort((a, b) => b - a);
    }
    return fifo;
  }

  /** Adds at the back of its priority. */
  push(item: T, priority: number): void {
    this.#level(priority).push(item);
    this.#size += 1;
  }

  /** Adds at the front of its priority: a job handed back goes before the ones that came after it. */
  unshift(item: T, priority: number): void {
    this.#level(priority).unshift(item);
    this.#size += 1;
  }

  /** Takes the next job. */
  shift(): T | undefined {
    for (const priority of this.#order) {
      const item = this.#levels.get(priority)?.shift();
      if (item !== undefined) {
        this.#size -= 1;
        return item;
      }
    }
    return undefined;
  }
}
