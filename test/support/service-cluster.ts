import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startChildService, type ChildService } from './child-service';

/**
 * A load balancer in front of several `crm-sync start` instances: each request goes to the next
 * live instance in turn; an instance that refuses the connection (killed) is skipped. Counts what
 * each instance received, so a test can show that all of them accepted webhooks.
 */
export interface RoundRobinProxy {
  url: string;
  targets: string[];
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(targets: string[] = []): Promise<RoundRobinProxy> {
  const hits = new Map<string, number>();
  const proxy: RoundRobinProxy = { url: '', targets, hits, close: async () => undefined };
  let next = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (tries: number): void => {
        if (tries >= proxy.targets.length) {
          res.writeHead(502).end('no live instance');
          return;
        }
        const target = proxy.targets[next++ % proxy.targets.length];
        const forwarded = request(new URL(req.url ?? '/', target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (answer: IncomingMessage) => {
          hits.set(target, (hits.get(target) ?? 0) + 1);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        forwarded.on('error', () => attempt(tries + 1));
        forwarded.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise((resolve) => server.close(() => resolve()));
  return proxy;
}

/** Which singleton roles an instance holds, from its /health; null when it does not answer. */
export interface Leadership {
  projector: boolean;
  cdc: boolean;
}

export async function leadershipOf(url: string): Promise<Leadership | null> {
  try {
    const body = (await (await fetch(`${url}/health`)).json()) as { checks?: Record<string, { detail?: { leader?: boolean; channels?: unknown[] } }> };
    const checks = body.checks ?? {};
    return { projector: checks.projectors?.detail?.leader === true, cdc: Array.isArray(checks.salesforce_cdc?.detail?.channels) };
  } catch {
    return null;
  }
}

/** `crm-sync start` processes on one database (the same variables, each on its own port); see startChildService for `compiledMain`. */
export function startInstance(env: Record<string, string>, timeoutMs = 60_000, compiledMain?: string): Promise<ChildService> {
  return startChildService({ PORT: '0', ...env }, timeoutMs, undefined, compiledMain);
}

export async function killInstance(instance: ChildService): Promise<void> {
  instance.child.kill('SIGKILL');
  await instance.exited;
}
