import type { Queryable } from '../event-store/queryable';
import type { WriteDeadline } from '../sync-commands/write-deadline';
import { confirmClaim } from './claim';

/** A send refused because this claim may no longer be ours (its lease lapsed or was taken over). */
export class LeaseLostError extends Error {
  readonly code = 'LEASE_LOST';
  constructor(reason: string) {
    super(`outbox claim lost: ${reason}; not sent by this dispatcher`);
    this.name = 'LeaseLostError';
  }
}

export function isLeaseLost(error: unknown): error is LeaseLostError {
  return error instanceof LeaseLostError;
}

export interface ClaimLeaseOptions {
  leaseMs: number;
  /**
   * The lease set while a write is in flight (default leaseMs): longer than any one CRM request, so
   * a request, whose timeout is capped by what is left of it (write-deadline.ts), never outlives it,
   * whether renewals succeed or not.
   */
  writeLeaseMs?: number;
  /** A monotonic clock in ms (performance.now): wall-clock jumps must not stretch a lease. */
  clock: () => number;
  /** When the claim statement was issued, on `clock`: Postgres started the lease no earlier. */
  claimedAt: number;
  onRenewalError?: (error: unknown) => void;
}

/**
 * One claim's lease as this process can prove it. Postgres holds the lease (`locked_until`); here we
 * keep a lower bound of it: each successful confirmation was issued at a local time no later than
 * Postgres's now() that set the lease, so the lease surely lasts until that local time + leaseMs.
 * Once that bound has passed, or a confirmation came back without one of our commands, the claim is
 * lost for good (sticky): another dispatcher may hold the commands, so nothing more is sent under it.
 * A renewal timer that fires after the bound (the event loop stalled longer than the lease) finds the
 * claim lost the same way.
 */
export class ClaimLease {
  private readonly held: Set<number>;
  private validUntil: number;
  private lostReason: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private writes = 0;
  /** The lease the last answered confirmation set (a write lease or the normal one). */
  private confirmedLeaseMs = 0;
  private confirming: Promise<unknown> = Promise.resolve();
  /** Confirmations asked for and not answered yet. */
  private unanswered = 0;
  /**
   * The earliest claim (on `clock`) among the commands added since the confirmation in flight was
   * issued: that confirmation does not cover them, so the bound it sets must not either.
   */
  private addedSince: number | null = null;

  constructor(
    private readonly db: Queryable,
    ids: readonly number[],
    readonly token: string,
    private readonly options: ClaimLeaseOptions,
  ) {
    this.held = new Set(ids);
    this.validUntil = options.claimedAt + options.leaseMs;
  }

  get leaseMs(): number {
    return this.options.leaseMs;
  }

  /**
   * The fencing check: re-confirms the claim in Postgres, extending its lease, and returns the
   * commands still ours (none once the claim is lost).
   */
  confirm(): Promise<ReadonlySet<number>> {
    if (this.lost()) return Promise.resolve(new Set());
    this.unanswered += 1;
    const confirmation = this.confirming.then(() => this.confirmNow()).finally(() => (this.unanswered -= 1));
    this.confirming = confirmation.catch(() => undefined);
    return confirmation;
  }

  /**
   * Commands claimed under this claim's token after it began (a bulk-import job claims its rows page
   * by page): held, confirmed and renewed with the rest from now on. `claimedAt`: when the claim
   * statement that took them was issued, on `clock` (Postgres started their lease no earlier).
   */
  add(ids: readonly number[], claimedAt: number): void {
    for (const id of ids) this.held.add(id);
    this.validUntil = Math.min(this.validUntil, claimedAt + this.options.leaseMs);
    if (this.unanswered > 0) this.addedSince = Math.min(this.addedSince ?? claimedAt, claimedAt);
  }

  /**
   * Gives commands to another lease of the same claim (a dispatcher sending a bulk-import job's rows
   * page by page): once any confirmation already asked for has answered (its row locks would
   * otherwise hold up the other lease's first confirmation), this lease no longer renews them, nor
   * misses them once they are settled.
   */
  async handOver(ids: readonly number[]): Promise<void> {
    for (let last = this.confirming; ; last = this.confirming) {
      await last;
      if (last === this.confirming) break;
    }
    for (const id of ids) this.held.delete(id);
  }

  /**
   * One confirmation; they run one at a time, so the last one answered set the lease Postgres holds
   * (a write lease is shortened again by the first renewal after the write).
   */
  private async confirmNow(): Promise<ReadonlySet<number>> {
    if (this.lost()) return new Set();
    const issuedAt = this.options.clock();
    const leaseMs = this.writes > 0 ? this.writeLeaseMs() : this.options.leaseMs;
    const ids = [...this.held];
    this.addedSince = null;
    let confirmed: Set<number>;
    try {
      confirmed = await confirmClaim(this.db, ids, this.token, leaseMs);
    } catch (error) {
      // It may have committed before failing: the lease may now be this one, however short.
      this.validUntil = Math.min(this.validUntil, issuedAt + leaseMs);
      throw error;
    }
    // Commands handed over meanwhile may be settled by now: only those still ours must be confirmed.
    const missing = ids.filter((id) => this.held.has(id) && !confirmed.has(id)).length;
    if (missing > 0 && this.lostReason === null) {
      this.lostReason = `${missing} of ${ids.length} command(s) no longer held under this claim`;
    }
    this.validUntil = issuedAt + leaseMs;
    if (this.addedSince !== null) this.validUntil = Math.min(this.validUntil, this.addedSince + this.options.leaseMs);
    this.confirmedLeaseMs = leaseMs;
    // An answer that arrives after the lease it set may have ended is no proof of anything now.
    return this.lost() ? new Set() : confirmed;
  }

  /**
   * Resolves once the claim is surely ours for at least `marginMs` more, confirming it again first
   * when less is left (a renewal late under load); throws LeaseLostError when it is not.
   */
  async ensureHeldFor(marginMs: number): Promise<void> {
    if (!this.lost() && this.validUntil - this.options.clock() < marginMs) await this.confirm();
    this.assertHeldFor(marginMs);
  }

  /**
   * Before a write: the fencing check, extending the lease to the write lease, then at least
   * `marginMs` must be left. Until `endWrite`, renewals keep the write lease.
   */
  async beginWrite(marginMs: number): Promise<void> {
    this.writes += 1;
    try {
      if (!this.writeLeaseHolds()) await this.confirm();
      this.assertHeldFor(marginMs);
    } catch (error) {
      this.endWrite();
      throw error;
    }
  }

  endWrite(): void {
    this.writes = Math.max(0, this.writes - 1);
  }

  /** Milliseconds the claim is surely ours (0 once lost): what a request of a write may still take. */
  remainingMs(): number {
    return this.lost() ? 0 : this.validUntil - this.options.clock();
  }

  /** The deadline of a write sent under this claim (write-deadline.ts): its requests end before the lease may. */
  deadline(): WriteDeadline {
    return { remainingMs: () => this.remainingMs(), expired: (left) => new LeaseLostError(`${Math.max(0, left)} ms of lease left, too little to start a request`) };
  }

  /**
   * A write lease confirmed less than half of it ago still fences the next write: nobody can take the
   * commands before it ends. Confirming again before every write would update every held row once per
   * write, quadratic in a large claim (1,002 updates: a thousand confirmations of 1,002 rows).
   */
  private writeLeaseHolds(): boolean {
    const writeLeaseMs = this.writeLeaseMs();
    return !this.lost() && this.confirmedLeaseMs >= writeLeaseMs && this.validUntil - this.options.clock() >= writeLeaseMs / 2;
  }

  private writeLeaseMs(): number {
    return Math.max(this.options.leaseMs, this.options.writeLeaseMs ?? this.options.leaseMs);
  }

  /** Throws LeaseLostError unless the claim is surely ours for at least `marginMs` more. */
  assertHeldFor(marginMs: number): void {
    if (this.lost()) throw new LeaseLostError(this.lostReason ?? 'lease lapsed');
    const left = this.validUntil - this.options.clock();
    if (left < marginMs) throw new LeaseLostError(`${Math.max(0, Math.round(left))} ms of lease left, a send needs ${marginMs} ms`);
  }

  /** Whether the claim is lost (checks the lease's lower bound against the clock now). */
  lost(): boolean {
    if (this.lostReason === null && this.options.clock() >= this.validUntil) this.lostReason = 'the lease lapsed before it was renewed (renewal late or failing: event loop stalled or database unreachable)';
    return this.lostReason !== null;
  }

  /**
   * Renews every quarter lease until stopped or lost; not while a confirmation is unanswered (it sets
   * the lease itself): renewals of a large claim slower than a quarter lease would otherwise queue up,
   * and every statement that needs those rows locked would wait behind the whole queue.
   */
  keepRenewed(): void {
    const every = Math.max(1, Math.floor(this.options.leaseMs / 4));
    this.timer = setInterval(() => {
      if (this.lost()) return this.stop();
      if (this.unanswered > 0) return;
      this.confirm().catch((error: unknown) => this.options.onRenewalError?.(error));
    }, every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
