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

/** Numbers as a binary max-heap: the largest on top, O(log n) to add or take. */
class MaxHeap {
  readonly #items: number[] = [];

  get top(): number | undefined {
    return this.#items[0];
  }

  push(value: number): void {
    const items = this.#items;
    let i = items.push(value) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((items[parent] as number) >= value) break;
      items[i] = items[parent] as number;
      i = parent;
    }
    items[i] = value;
  }

  pop(): void {
    const items = this.#items;
    const last = items.pop();
    if (last === undefined || items.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && (items[right] as number) > (items[left] as number) ? right : left;
      if ((items[child] as number) <= last) break;
      items[i] = items[child] as number;
      i = child;
    }
    items[i] = last;
  }
}

/**
 * The composer's queue: higher priority first, first-in first-out within a priority. A FIFO per
 * priority that has jobs, and a heap of those priorities, so that jobs of many distinct priorities (a
 * score, a timestamp) cost O(log levels) each; a level is dropped as soon as it empties.
 */
export class JobQueue<T> {
  readonly #levels = new Map<number, Fifo<T>>();
  /** Exactly the priorities in #levels, each of which holds at least one job. */
  readonly #priorities = new MaxHeap();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  #level(priority: number): Fifo<T> {
    let fifo = this.#levels.get(priority);
    if (fifo === undefined) {
      fifo = new Fifo<T>();
      this.#levels.set(priority, fifo);
      this.#priorities.push(priority);
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
    const priority = this.#priorities.top;
    if (priority === undefined) return undefined;
    const fifo = this.#levels.get(priority) as Fifo<T>;
    const item = fifo.shift() as T;
    if (fifo.size === 0) {
      this.#levels.delete(priority);
      this.#priorities.pop();
    }
    this.#size -= 1;
    return item;
  }
}
