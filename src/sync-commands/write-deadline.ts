import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How long a CRM write may still run: the outbox sends each write under a claim whose lease another
 * instance may take over once it ends, so no HTTP request of the write may run past it. The outbox
 * sets it around each write; the CRM clients read it when they start a request (boundedTimeout).
 */
export interface WriteDeadline {
  /** Milliseconds left before the claim's lease may end (a lower bound this process can prove). */
  remainingMs(): number;
  /** The error a request too late to start fails with. */
  expired(left: number): Error;
}

const current = new AsyncLocalStorage<WriteDeadline>();

export function runWithWriteDeadline<T>(deadline: WriteDeadline, write: () => Promise<T>): Promise<T> {
  return current.run(deadline, write);
}

/** Shortest request worth starting under a deadline: less than this usable and the request is not sent. */
export const MIN_REQUEST_MS = 1_000;

/** How long before the deadline a request is cut: time for the abort to reach the caller while the lease still holds. */
export const END_MARGIN_MS = 1_000;

/**
 * The timeout of one HTTP request starting now: the client's own, capped so that it ends before the
 * deadline of the write it belongs to (none outside a write). Throws the deadline's error when too
 * little is left to start one.
 */
export function boundedTimeout(timeoutMs: number): number {
  const deadline = current.getStore();
  if (!deadline) return timeoutMs;
  const left = Math.floor(deadline.remainingMs());
  const usable = left - END_MARGIN_MS;
  if (usable < MIN_REQUEST_MS) throw deadline.expired(left);
  return Math.min(timeoutMs, usable);
}
