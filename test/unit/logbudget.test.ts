import { describe, expect, it } from 'vitest';
import { LogBudget } from '../../src/http/LogBudget.js';

describe('LogBudget', () => {
  it('allows so many lines a second, then counts the skipped ones and reports them with the next line written', () => {
    let now = 5000;
    const b = new LogBudget(3, () => now);
    expect([b.take(), b.take(), b.take()]).toEqual([0, 0, 0]);
    expect([b.take(), b.take()]).toEqual([null, null]);
    now += 999;
    expect(b.take()).toBeNull();
    now += 1;
    expect(b.take()).toBe(3);
    expect(b.take()).toBe(0);
  });
});
