import { reconnectDelayMs } from '../../src/event-store/channel-listener';

describe('LISTEN reconnect backoff', () => {
  it('starts at 0.5 s, doubles, and never waits more than 10 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(reconnectDelayMs)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
  });
});
