'use strict';
/**
 * V8 heap settings per command, applied by bin/crm-sync.js before the CLI loads (and by
 * bench/backfill.ts, bench/replay.ts and bench/realtime.ts the same way, so they measure what users run).
 *
 * Run-time flags (`heapFlagsFor`), set with v8.setFlagsFromString before the CLI loads:
 * `--heap-growing-percent`: the heap's limit grows to 1 + percent/100 times what survives each full
 * GC instead of V8's default of up to 4x. These commands keep little alive but allocate fast
 * (decoding pages of rows, building records and decisions), and V8 lets a fast-allocating heap grow
 * to about four times its live size before collecting:
 * - `backfill`: 266 MB peak RSS for 20,000 Leads with the default, 174 MB with 1.5x, for ~15% more
 *   CPU and the same throughput (the monday budget is the limit). docs/benchmarks.md, "Backfill".
 * - `replay`: ~45-55 MB live, the heap grew to 240 MB between full GCs. docs/benchmarks.md, "Replay".
 * - `start`: the service under bench/realtime at 500 changes/s. docs/benchmarks.md, "Real-time".
 * Unlike --max-old-space-size, this bounds memory in proportion to what is live, so nothing is ever
 * cut short by a cap. V8 reads heap_growing_percent each time it sets the next old-generation limit,
 * so it acts from the first full GC on (checked: same peak as passing it on the command line). A
 * flag V8 no longer knows is ignored.
 *
 * Start-up flags (`startupFlagsFor`): V8 sizes the young generation when the process starts, so
 * setting these at run time does nothing; bin/crm-sync.js runs node again with them.
 * `replay`: `--max-semi-space-size=32` (MB; V8's default 16). Replay holds the page being decided
 * and the next one while it allocates each decision's garbage, so a small young generation copies
 * those pages at every scavenge and promotes them; a larger one lets more of it die young.
 * `replay`: `--v8-pool-size=1` (node's option: one V8 worker thread instead of four). Replay is one
 * busy thread whose collections V8 shares out to its workers; with one worker a parallel scavenge
 * or mark runs on two threads, not five competing for the cores, so less CPU goes to threads
 * waiting for each other: bench/replay, 1,000,000 events at load 10-13, 5% less node CPU in each of
 * four alternating pairs and 14% less wall time (docs/benchmarks.md, "Replay", ninth round). On a
 * machine with many idle cores the pauses may be longer in wall time; replay's target is CPU.
 */
const HEAP_GROWING_PERCENT = { backfill: 50, replay: 50, start: 50 };
const STARTUP_FLAGS = { replay: ['--max-semi-space-size=32', '--v8-pool-size=1'] };

function commandOf(args) {
  return args.find((arg) => !arg.startsWith('-'));
}

/** The run-time V8 flags for `crm-sync <command> ...` (argv without node and the script). */
function heapFlagsFor(args) {
  const command = commandOf(args);
  const percent = command === undefined ? undefined : HEAP_GROWING_PERCENT[command];
  return percent === undefined ? [] : [`--heap-growing-percent=${percent}`];
}

/** The V8 flags `crm-sync <command> ...` needs on node's command line (V8 reads them only at start). */
function startupFlagsFor(args) {
  const command = commandOf(args);
  return (command !== undefined && STARTUP_FLAGS[command]) || [];
}

function applyHeapSettings(args) {
  const flags = heapFlagsFor(args);
  if (flags.length > 0) require('node:v8').setFlagsFromString(flags.join(' '));
  return flags;
}

module.exports = { heapFlagsFor, startupFlagsFor, applyHeapSettings };
