import { ConcurrencyLimit } from '../../shared/support/concurrency-limit';

describe('Class: ConcurrencyLimit', () => {
  it('never runs more than its limit at once, even when new tasks arrive as others finish', async () => {
    const limit = new ConcurrencyLimit(3);
    let running = 0;
    let peak = 0;
    const task = async (): Promise<void> => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running -= 1;
    };
    const waves = Array.from({ length: 50 }, () => limit.run(task));
    // Newcomers arriving while slots are handed over must wait their turn too.
    const late = new Promise<void>((resolve) => setTimeout(() => void Promise.all(Array.from({ length: 20 }, () => limit.run(task))).then(() => resolve()), 2));

    await Promise.all([...waves, late]);

    expect(peak).toBe(3);
    expect(limit.inFlight).toBe(0);
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(RangeError);
    expect(() => new ConcurrencyLimit(1.5)).toThrow(RangeError);
  });
});
