export interface RequestLogEntry {
  /** Emulated time, ISO. */
  at: string;
  requestId: string;
  userId: number | null;
  apiVersion: string | null;
  operationType: 'query' | 'mutation' | null;
  operationName: string | null;
  /** Root field names in document order (aliases resolved to field names). */
  fields: string[];
  status: number;
  complexity: number;
  errorCodes: string[];
  idempotencyReplayed: boolean;
  durationMs: number;
}

const MAX_ENTRIES = 20_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly enabled: boolean) {}

  add(entry: RequestLogEntry): void {
    if (!this.enabled) return;
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries = this.entries.slice(-MAX_ENTRIES / 2);
  }

  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
