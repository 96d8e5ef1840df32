/**
 * Scripted failures for tests (control API): the next N matching requests get latency, a 5xx,
 * UNABLE_TO_LOCK_ROW, REQUEST_LIMIT_EXCEEDED, expired sessions, or have their write committed and
 * their connection destroyed without an answer (the duplicate-create scenario).
 */
export type FaultKind =
  | 'latency'
  | 'http_error'
  | 'unable_to_lock_row'
  | 'request_limit_exceeded'
  | 'expire_sessions'
  | 'commit_then_drop';

export interface FaultSpec {
  kind: FaultKind;
  /** How many matching requests it applies to (default 1). */
  times?: number;
  /** Only requests whose path contains this string. */
  pathContains?: string;
  /** Only requests with this HTTP method. */
  method?: string;
  /** For latency: real milliseconds to wait before handling. */
  latencyMs?: number;
  /** For http_error: 500 (default), 503, or a 4xx. */
  status?: number;
  /** For http_error: the error's code and message instead of the defaults (a message that echoes what it was sent, say). */
  errorCode?: string;
  message?: string;
}

interface ActiveFault extends FaultSpec {
  id: number;
  remaining: number;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): number {
    const id = this.nextId++;
    this.faults.push({ ...spec, id, remaining: spec.times ?? 1 });
    return id;
  }

  clear(): void {
    this.faults = [];
  }

  list(): FaultSpec[] {
    return this.faults.map(({ id: _id, remaining, ...spec }) => ({ ...spec, times: remaining }));
  }

  /** The faults that apply to this request (each consumes one of its `times`). */
  take(method: string, path: string): FaultSpec[] {
    if (this.faults.length === 0) return [];
    const hit: FaultSpec[] = [];
    for (const f of this.faults) {
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.pathContains && !path.includes(f.pathContains)) continue;
      f.remaining--;
      hit.push(f);
    }
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return hit;
  }
}
