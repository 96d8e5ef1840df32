/** See heap-settings.js. */
export function heapFlagsFor(args: readonly string[]): string[];
export function startupFlagsFor(args: readonly string[]): string[];
export function applyHeapSettings(args: readonly string[]): string[];
