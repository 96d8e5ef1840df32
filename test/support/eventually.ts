/**
 * Polls an assertion until it passes or the deadline is reached (style lesson 9): tests wait for
 * conditions, never for a fixed number of milliseconds.
 */
export async function expectEventually<T>(assertion: () => T | Promise<T>, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const interval = options.intervalMs ?? 20;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((r) => setTimeout(r, interval));
    }
  }
}
