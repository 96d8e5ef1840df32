import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/**
 * CPU time spent by the parts of a bench, from /proc (Linux). The machine is shared (other
 * engineers' compilers and test runs land on the same 2 cores), so a rate alone says little:
 * CPU milliseconds per event, and how busy the machine was with work that was not ours, make a
 * figure comparable across runs.
 */
const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux x86-64

export interface CpuSnapshot {
  at: number;
  serviceMs: number;
  benchMs: number;
  postgresMs: number;
  machineBusyMs: number;
  machineTotalMs: number;
}

export interface CpuUsage {
  wallMs: number;
  /** CPU ms of each part over the window. */
  serviceMs: number;
  benchMs: number;
  postgresMs: number;
  /** Busy CPU ms on the whole machine not accounted to the three parts above: other people's work. */
  otherMs: number;
  /** Cores available over the window (wall × cores). */
  capacityMs: number;
  loadAverage1m: number;
}

/**
 * `servicePid` null when the service runs inside the bench process. Postgres time counts the
 * backends connected to `database` plus the shared background writers (WAL writer, checkpointer).
 */
export function cpuSnapshot(servicePid: number | null, database: string): CpuSnapshot {
  const bench = process.cpuUsage();
  const machine = machineTicks();
  return {
    at: Date.now(),
    serviceMs: servicePid === null ? 0 : processCpuMs(servicePid),
    benchMs: (bench.user + bench.system) / 1000,
    postgresMs: postgresCpuMs(database),
    machineBusyMs: machine.busy,
    machineTotalMs: machine.total,
  };
}

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuUsage {
  const serviceMs = b.serviceMs - a.serviceMs;
  const benchMs = b.benchMs - a.benchMs;
  const postgresMs = Math.max(0, b.postgresMs - a.postgresMs);
  const busy = b.machineBusyMs - a.machineBusyMs;
  return {
    wallMs: b.at - a.at,
    serviceMs,
    benchMs,
    postgresMs,
    otherMs: Math.max(0, busy - serviceMs - benchMs - postgresMs),
    capacityMs: b.machineTotalMs - a.machineTotalMs,
    loadAverage1m: loadavg()[0],
  };
}

export function processCpuMs(pid: number): number {
  try {
    // Fields after the parenthesised command name: utime is the 12th, stime the 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0; // the process has exited
  }
}

/**
 * CPU of the Postgres backends serving `database`, sampled every `everyMs` while a child process
 * uses them: backends that exit before the end (the child's pool closing) keep the last CPU seen.
 */
export function sampleBackendCpu(database: string, everyMs = 250): { stop(): number } {
  const seen = new Map<number, number>();
  const take = (): void => {
    for (const pid of backendPids(database)) {
      const ms = processCpuMs(pid);
      if (ms > 0) seen.set(pid, ms);
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return [...seen.values()].reduce((a, b) => a + b, 0);
    },
  };
}

function backendPids(database: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.startsWith('postgres:') && cmdline.includes(` ${database} `)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function postgresCpuMs(database: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.startsWith('postgres:')) continue;
    if (cmdline.includes(` ${database} `) || /: (walwriter|checkpointer|background writer)/.test(cmdline)) total += processCpuMs(Number(entry));
  }
  return total;
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = values[3] + (values[4] ?? 0); // idle + iowait
  return { busy: ((total - idle) * 1000) / TICKS_PER_SECOND, total: (total * 1000) / TICKS_PER_SECOND };
}
