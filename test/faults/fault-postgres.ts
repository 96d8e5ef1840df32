import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * The fault campaign's own Postgres server, in a directory the campaign chose, so that the campaign
 * can stop it after a schedule's process was killed (pg_ctl daemonizes the server in its own
 * session: killing the schedule's process group would leave it running). Never the shared 5432.
 */
export interface FaultPostgres {
  port: number;
  url(database?: string): string;
  /** pg_ctl stop -m fast: every connection is terminated (57P01), as in an operator's restart. */
  stop(): void;
  start(): void;
}

const BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

function binDir(): string {
  const bin = BIN_DIRS.find((dir) => existsSync(join(dir, 'pg_ctl')));
  if (!bin) throw new Error(`no Postgres server binaries in ${BIN_DIRS.join(', ')}`);
  return bin;
}

function run(dir: string, program: string, args: string[]): void {
  const asRoot = userInfo().uid === 0;
  const path = join(binDir(), program);
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
  execFileSync(file, argv, { stdio: 'pipe', cwd: dir });
}

/** initdb into `dir` (created if needed) and start on `port`. */
export function createFaultPostgres(dir: string, port: number): FaultPostgres {
  mkdirSync(dir, { recursive: true });
  if (userInfo().uid === 0) {
    const ids = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, ids('-u'), ids('-g'));
  }
  run(dir, 'initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const server = attachFaultPostgres(dir, port);
  server.start();
  return server;
}

/** Control of a server createFaultPostgres made (possibly in another process). */
export function attachFaultPostgres(dir: string, port: number): FaultPostgres {
  const data = join(dir, 'data');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  return {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: () => run(dir, 'pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']),
    stop: () => run(dir, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
  };
}

/** Stops the server in `dir` if it runs (immediate: nothing to keep). */
export function stopFaultPostgres(dir: string): void {
  try {
    run(dir, 'pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  } catch {
    // not running
  }
}
