import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  output: string[];
  /** SIGTERM (graceful), then wait for exit; SIGKILL if it takes longer than 15 s. */
  stop(): Promise<number | null>;
}

/**
 * The service (support/service-entry.ts: startService alone) as its own process: the compiled entry
 * when given a build (plain JavaScript, as production runs), else `node --import tsx`. Either way
 * there is no wrapper process, so `pid` is the service's own and its VmRSS is the service's memory.
 * It listens on a free loopback port picked here (at LOG_LEVEL=warn it does not log its URL), and
 * runs in `workDir` so nothing it might write lands in the checkout.
 */
export async function startServiceProcess(
  env: Record<string, string>,
  build: { entry: string; dir: string } | null,
  timeoutMs = 30_000,
): Promise<ServiceProcess> {
  const port = await freePort();
  // BENCH_SERVICE_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the service.
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const entry = build ? [build.entry] : ['--import', 'tsx', resolve(__dirname, 'service-entry.ts')];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: build?.dir ?? ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`service exited with ${exitCode} before listening:\n${output.join('')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service did not listen within ${timeoutMs} ms:\n${output.join('')}`);
    }
    try {
      await fetch(`${url}/health`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const stop = async (): Promise<number | null> => {
    if (exitCode !== undefined) return exitCode;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(killer);
    return code;
  };
  return { child, pid: child.pid as number, url, output, stop };
}

/** Resident set size of a process in MiB, from /proc/<pid>/status (Linux). */
export function residentMiB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; reports the peak and the last sample. */
export function sampleResident(pid: number, everyMs = 250): { stop(): { peakMiB: number; lastMiB: number } } {
  let peak = 0;
  let last = 0;
  const take = (): void => {
    const value = residentMiB(pid);
    if (value !== null) {
      last = value;
      peak = Math.max(peak, value);
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return { peakMiB: peak, lastMiB: last };
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
