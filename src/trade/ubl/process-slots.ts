/**
 * At most `size` holders at a time; the rest wait in arrival order. Used to bound how many
 * xmllint processes run at once, so a burst of uploads queues instead of forking a process each
 * (every xmllint compiles the UBL schema set and takes about 13 MB).
 */
export class ProcessSlots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`slot count must be a positive integer, not ${size}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      // hand the slot straight to the next waiter, or free it
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
