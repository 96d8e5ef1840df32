import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { createFaultPostgres, stopFaultPostgres, type FaultPostgres } from './fault-postgres';
import type { ScheduleOptions, ScheduleResult } from './run-schedule';

const ROOT = resolve(__dirname, '../..');

/** The campaign's private Postgres: one server for all its schedules (each on a fresh database). */
export interface CampaignPostgres {
  dir: string;
  server: FaultPostgres;
  /** Started again if a killed schedule left it stopped (a schedule restarting it was cut off). */
  ensureRunning(): Promise<void>;
  destroy(): void;
}

export async function startCampaignPostgres(): Promise<CampaignPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-sync-faults-'));
  // The server may run as the postgres user (initdb refuses root): it must reach its directory.
  chmodSync(dir, 0o755);
  const server = createFaultPostgres(join(dir, 'pg'), await freePort());
  return {
    dir,
    server,
    ensureRunning: async () => {
      const client = new Client({ connectionString: server.url(), connectionTimeoutMillis: 3_000 });
      try {
        await client.connect();
        await client.end();
      } catch {
        server.start();
      }
    },
    destroy: () => {
      stopFaultPostgres(join(dir, 'pg'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One schedule in its own process group, killed (the group, by its id) when it outlives `timeoutMs`:
 * with it go the `crm-sync start` instances it started.
 */
export function runScheduleProcess(seed: number, postgres: CampaignPostgres, options: ScheduleOptions, timeoutMs: number): Promise<ScheduleResult> {
  return new Promise((resolveResult) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'schedule-process.ts'), String(seed)], {
      cwd: ROOT,
      env: { ...process.env, FAULTS_PG_DIR: join(postgres.dir, 'pg'), FAULTS_PG_PORT: String(postgres.server.port), FAULTS_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-8000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      // Whatever the schedule left behind (instances of a schedule that crashed) goes with its group.
      killGroup(child.pid);
      const line = stdout.trim().split('\n').at(-1) ?? '';
      const failed = (reason: string): ScheduleResult => ({ seed, passed: false, schedule: '?', reason, detail: `${reason}\n${stderr}` });
      if (timedOut) return resolveResult(failed(`did not finish within ${timeoutMs / 1000} s`));
      try {
        resolveResult(JSON.parse(line) as ScheduleResult);
      } catch {
        resolveResult(failed(`the schedule's process exited with code ${code} and no result`));
      }
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}


