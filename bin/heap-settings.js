'use strict';
/**
 * V8 heap settings per command, applied by bin/crm-sync.js before the CLI loads (and by
 * bench/backfill.ts the same way, so it measures what users run).
 *
 * `backfill`: the heap's limit grows to 1.5x what survives each full GC instead of V8's default of
 * up to 4x. A backfill keeps little alive (the link index, a page of records, ~30-60 MB at 40,000
 * to 100,000 records) but allocates fast while it decodes Bulk CSV pages and Postgres rows, and V8
 * lets a fast-allocating heap grow to about four times its live size before collecting: 266 MB peak
 * RSS for 20,000 Leads with the default, 174 MB with 1.5x, for ~15% more CPU and the same
 * throughput (the monday budget is the limit). Unlike --max-old-space-size, this bounds memory in
 * proportion to what is live, so a migration of a million records is never cut short by a cap.
 * See docs/benchmarks.md, "Backfill".
 *
 * Set at run time with v8.setFlagsFromString: V8 reads heap_growing_percent each time it sets the
 * next old-generation limit, so it acts from the first full GC on (checked: same peak as passing
 * --heap-growing-percent=50 on the command line). A flag V8 no longer knows is ignored.
 */
const HEAP_GROWING_PERCENT = { backfill: 50 };

/** The V8 flags for `crm-sync <command> ...` (argv without node and the script). */
function heapFlagsFor(args) {
  const command = args.find((arg) => !arg.startsWith('-'));
  const percent = command === undefined ? undefined : HEAP_GROWING_PERCENT[command];
  return percent === undefined ? [] : [`--heap-growing-percent=${percent}`];
}

function applyHeapSettings(args) {
  const flags = heapFlagsFor(args);
  if (flags.length > 0) require('node:v8').setFlagsFromString(flags.join(' '));
  return flags;
}

module.exports = { heapFlagsFor, applyHeapSettings };
