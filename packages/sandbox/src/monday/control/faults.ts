import { SeededRandom } from '../random';

/**
 * `too_many_requests`: resource protection, HTTP 200 with the first root field null (addendum 2.3).
 * `lost_response`: a mutation is applied (and its Idempotency-Key answer cached), then the connection
 * is destroyed without an answer, as when a response is lost on the way back.
 * `bulk_row_failed`: a bulk-import row valid in every cell fails during execution (report result
 * `failed`, counted in `counts.failed`, "valid rows that failed during execution": addendum 1.2), no item made. `bulk_row_missing`: a row is
 * neither applied nor named in the report (what a client must survive if monday ever loses one).
 * Both take the next rows applied, in any job (`operation`: `ingest_items` or `backfill_items`).
 */
export type FaultKind =
  | 'latency'
  | 'http_500'
  | 'http_429'
  | 'too_many_requests'
  | 'lost_response'
  | 'drop_webhook'
  | 'duplicate_webhook'
  | 'bulk_row_failed'
  | 'bulk_row_missing';

/** A fault applies to the next `count` matching requests/deliveries, or to a `ratio` of them (seeded RNG). */
export interface FaultSpec {
  kind: FaultKind;
  count?: number;
  ratio?: number;
  /** Real milliseconds added before answering (latency faults). */
  latencyMs?: number;
  /** duplicate_webhook: how many extra copies of the delivery are sent (default 1). */
  copies?: number;
  /** Only GraphQL requests whose root field names include this one (request faults). */
  operation?: string;
  /** http_500: the error message to answer with (default "Internal Server Error"), e.g. one echoing what was sent. */
  message?: string;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

/** Injected faults: request-side (latency, 5xx, 429) and delivery-side (drop, duplicate). */
export class FaultInjector {
  private faults: ActiveFault[] = [];
  private random: SeededRandom;

  constructor(private readonly seed: number) {
    this.random = new SeededRandom(seed);
  }

  add(spec: FaultSpec): void {
    if (spec.count === undefined && spec.ratio === undefined) throw new Error('a fault needs count or ratio');
    this.faults.push({ ...spec, remaining: spec.count ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.faults = [];
    this.random = new SeededRandom(this.seed);
  }

  list(): FaultSpec[] {
    return this.faults.map(({ remaining, ...spec }) => ({ ...spec, count: Number.isFinite(remaining) ? remaining : undefined }));
  }

  /** Consumes one occurrence of the first matching fault of `kind`, if it fires. */
  take(kind: FaultKind, operations: string[] = []): FaultSpec | undefined {
    for (const fault of this.faults) {
      if (fault.kind !== kind || fault.remaining <= 0) continue;
      if (fault.operation && !operations.includes(fault.operation)) continue;
      if (fault.ratio !== undefined && this.random.next() >= fault.ratio) continue;
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
      return fault;
    }
    return undefined;
  }
}
