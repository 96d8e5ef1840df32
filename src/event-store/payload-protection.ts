import type { SyncEvent } from './events';

/**
 * What the event store asks of whoever protects payloads at rest (src/personal-data, while
 * PII_ENCRYPTION_KEY is set): a port defined here so the log imports no domain module. Appends
 * pass their events through `protect` before storing; reads pass theirs through `reveal`.
 */
export interface PayloadProtection {
  /** Copies of the events as they are to be stored (personal values encrypted). */
  protect<E extends SyncEvent>(events: readonly E[]): Promise<E[]>;
  /** The stored events made readable, in place (encrypted values opened, or marked erased). */
  reveal<E extends { payload: unknown }>(events: E[]): Promise<E[]>;
}

/**
 * The process's protection, null while none is installed: the append and read paths ask once per
 * batch, so with encryption off they pay one null check.
 */
let installed: PayloadProtection | null = null;

export function payloadProtection(): PayloadProtection | null {
  return installed;
}

export function usePayloadProtection(protection: PayloadProtection | null): void {
  installed = protection;
}
