/**
 * Emulated time shared by both emulators. Real CRMs enforce limits in wall-clock minutes and days
 * (monday's budget minute, cursor expiry after 60 minutes, Salesforce's 72-hour CDC retention);
 * tests and benchmarks need those to pass in seconds, so every emulator reads time from a Clock.
 */
export interface Clock {
  /** Current emulated time in epoch milliseconds. */
  now(): number;
  /** Jump emulated time forward (tests: expire a cursor, a replay id, a budget window). */
  advance(ms: number): void;
  /** How many emulated milliseconds pass per real millisecond (1 = real time). */
  readonly scale: number;
}

/** Real time sped up by `scale` and shifted by whatever `advance` added. */
export class ScaledClock implements Clock {
  private readonly realStart = Date.now();
  private readonly emulatedStart: number;
  private offset = 0;

  constructor(
    readonly scale = 1,
    startAt = Date.now(),
  ) {
    this.emulatedStart = startAt;
  }

  now(): number {
    return this.emulatedStart + (Date.now() - this.realStart) * this.scale + this.offset;
  }

  advance(ms: number): void {
    this.offset += ms;
  }

  /** Real milliseconds to wait for `emulatedMs` of emulated time to pass. */
  realDelay(emulatedMs: number): number {
    return Math.max(0, Math.ceil(emulatedMs / this.scale));
  }
}
