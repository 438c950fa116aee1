import { ProcessSlots } from './process-slots';

describe('ProcessSlots', () => {
  it('runs at most `size` tasks at once, the others in arrival order, and returns their results', async () => {
    const slots = new ProcessSlots(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (id: number) => async (): Promise<number> => {
      started.push(id);
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return id * 10;
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map((id) => slots.run(task(id))));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5]);
  });

  it('frees the slot when a task fails', async () => {
    const slots = new ProcessSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('refuses a slot count that is not a positive integer', () => {
    expect(() => new ProcessSlots(0)).toThrow('slot count must be a positive integer, not 0');
  });
});
