/** `2026-03-20T12:00:00Z`: item and board `created_at`/`updated_at` (reference 3.2 example). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2026-03-20T12:00:00.000Z`: `changed_at` inside column values and webhook `triggerTime`. */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}
