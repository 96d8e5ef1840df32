/**
 * Where a schedule's wall time goes: named phases (a name met twice adds up) and, inside the quiet
 * waits, what was still pending while the harness waited. Reported with the schedule's result.
 */
export class SchedulePhases {
  private readonly totals = new Map<string, number>();
  private last = Date.now();

  /** Ends the phase running since the previous mark and books its time under `name`. */
  mark(name: string): void {
    const now = Date.now();
    this.add(name, now - this.last);
    this.last = now;
  }

  add(name: string, ms: number): void {
    this.totals.set(name, (this.totals.get(name) ?? 0) + ms);
  }

  /** Milliseconds per phase, in the order phases first ended. */
  summary(): Record<string, number> {
    return Object.fromEntries(this.totals);
  }
}

/** `phase 12.3 s, other 1.0 s`: the phases of a result, longest first. */
export function describePhases(phasesMs: Record<string, number>): string {
  return Object.entries(phasesMs)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
    .join(', ');
}
