import { Clock } from '../../clock';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The org's daily API request allocation (reference 8): every REST, SOAP and Bulk call counts;
 * once used up, calls answer 403 REQUEST_LIMIT_EXCEEDED until the (emulated) 24-hour window rolls.
 */
export class ApiUsage {
  used = 0;
  private windowStart: number;

  constructor(
    private readonly clock: Clock,
    public max: number,
  ) {
    this.windowStart = clock.now();
  }

  /** Counts one call; false when the allocation is exhausted (the call is then rejected, not counted). */
  tryConsume(): boolean {
    this.roll();
    if (this.used >= this.max) return false;
    this.used++;
    return true;
  }

  header(): string {
    return `api-usage=${this.used}/${this.max}`;
  }

  remaining(): number {
    this.roll();
    return Math.max(0, this.max - this.used);
  }

  private roll(): void {
    const now = this.clock.now();
    if (now - this.windowStart >= DAY_MS) {
      this.windowStart = now;
      this.used = 0;
    }
  }
}
