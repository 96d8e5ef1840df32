import { heapFlagsFor, startupFlagsFor } from '../../bin/heap-settings';

describe('heap settings per command (bin/heap-settings.js)', () => {
  it('gives replay a larger young generation at start-up and a heap bounded by what is live', () => {
    expect(startupFlagsFor(['replay'])).toEqual(['--max-semi-space-size=32', '--v8-pool-size=1']);
    expect(heapFlagsFor(['replay'])).toEqual(['--heap-growing-percent=50']);
  });

  it('bounds the service and the backfill heap by what is live, with no start-up flags (no second node process)', () => {
    expect(heapFlagsFor(['start'])).toEqual(['--heap-growing-percent=50']);
    expect(heapFlagsFor(['backfill', '--object', 'lead'])).toEqual(['--heap-growing-percent=50']);
    expect(startupFlagsFor(['start'])).toEqual([]);
    expect(startupFlagsFor(['backfill'])).toEqual([]);
  });

  it('finds the command after options and leaves other commands with V8 defaults', () => {
    expect(startupFlagsFor(['--verbose', 'replay', '--projection', 'sync'])).toEqual(['--max-semi-space-size=32', '--v8-pool-size=1']);
    expect(heapFlagsFor(['reconcile'])).toEqual([]);
    expect(startupFlagsFor([])).toEqual([]);
  });
});
