import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/model/semaphore.js';

describe('Semaphore', () => {
  it('runs at most `limit` tasks at once, in arrival order', async () => {
    const slots = new Semaphore(2);
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        slots.use(async () => {
          started.push(i);
          running += 1;
          peak = Math.max(peak, running);
          await delay(10);
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(slots.active).toBe(0);
  });

  it('frees the slot when a task fails', async () => {
    const slots = new Semaphore(1);
    await expect(slots.use(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.use(async () => 'next')).resolves.toBe('next');
    expect(slots.active).toBe(0);
  });

  it('rejects a limit below one', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow(RangeError);
  });
});
