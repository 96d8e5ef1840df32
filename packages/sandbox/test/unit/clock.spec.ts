import { ScaledClock } from '../../src/clock';

describe('ScaledClock', () => {
  it('advance moves emulated time forward by exactly the given amount', () => {
    const clock = new ScaledClock(0, 1_000);
    clock.advance(60_000);
    expect(clock.now()).toBe(61_000);
  });

  it('realDelay divides emulated time by the scale', () => {
    expect(new ScaledClock(60).realDelay(60_000)).toBe(1_000);
  });
});
