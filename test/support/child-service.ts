import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ChildService {
  child: ChildProcess;
  url: string;
  output: string[];
  exited: Promise<number | null>;
  /** From spawn to the "listening" line. */
  startMs: number;
}

const ROOT = resolve(__dirname, '../..');

/**
 * The bound of a start that must only catch a hung one, not a slow one: a crm-sync start through
 * tsx takes 10-20 s on an idle machine and went past 60 s at load 25-35 (b2a6066); a start counted
 * against 60 s is a test of the machine's load, not of the service.
 */
export const START_BOUND_MS = 10 * 60_000;

/** The service did not log that it listens within the bound; the process (`pid`) was killed. */
export class ServiceStartTimeout extends Error {
  constructor(
    readonly pid: number | undefined,
    readonly timeoutMs: number,
    readonly output: string,
  ) {
    super(`service did not start within ${timeoutMs} ms (pid ${pid}, killed):\n${output}`);
  }
}

/**
 * `crm-sync start` as a real child process, for tests that need signals or SIGKILL. Resolves once
 * the service logs that it is listening. Runs the sources through tsx (no build step), or plain
 * node on `compiledMain` (test/support/compiled-service.ts) for tests that start many instances.
 */
export async function startChildService(env: Record<string, string>, timeoutMs = 90_000, onOutput?: (text: string) => void, compiledMain?: string): Promise<ChildService> {
  // Its own working directory: sandbox mode writes the demo mapping and emulator state there.
  const cwd = mkdtempSync(join(tmpdir(), 'crm-sync-test-'));
  // tsx's loader in this very process (not the tsx CLI, which runs the program in a grandchild that
  // a SIGKILL to the child would miss).
  const args = compiledMain ? [compiledMain, 'start'] : ['--import', pathToFileURL(resolve(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, resolve(ROOT, 'src/cli/main.ts'), 'start'];
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...(compiledMain ? {} : { TSX_TSCONFIG_PATH: resolve(ROOT, 'tsconfig.json') }), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    // A start that outlives its bound is killed: left running, it would join the database as an
    // instance nobody tracks (taking leader locks and commands) and outlive the test.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new ServiceStartTimeout(child.pid, timeoutMs, output.join('')));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output.push(text);
      onOutput?.(text);
      const match = /"url":"(http:\/\/[^"]+)".*crm-sync is listening/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before listening:\n${output.join('')}`));
    });
  });
  return { child, url, output, exited, startMs: Date.now() - spawnedAt };
}
