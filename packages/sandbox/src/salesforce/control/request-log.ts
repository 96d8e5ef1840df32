export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  /** `client` of the Sforce-Call-Options header, null when absent. */
  client: string | null;
  /** Emulated epoch ms at which the request arrived. */
  time: number;
}

/** The last `capacity` API requests, oldest first (bounded so long benchmarks stay O(1) per request). */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly capacity = 20_000) {}

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity * 1.25) this.entries = this.entries.slice(-this.capacity);
  }

  list(): RequestLogEntry[] {
    return this.entries.slice(-this.capacity);
  }

  clear(): void {
    this.entries = [];
  }
}
