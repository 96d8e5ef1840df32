/**
 * bench/sandbox-monday: what the monday emulator sustains on loopback, so it is never the bottleneck
 * of the service benchmarks (targets: well above 1,500 writes/s; webhooks fast enough for a service
 * ingesting 5,000 events/s).
 *
 *   npx tsx bench/sandbox-monday.ts [--duration 5] [--connections 50] [--webhooks 20000]
 *
 * Reads: `items(ids)` with column values. Writes: change_multiple_column_values (3 columns) on many
 * items. Webhook deliveries: change_column_value events fanned out to a loopback receiver.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { DEMO_BOARDS, startMondayEmulator } from '@crm-sync/sandbox';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const UNLIMITED = { complexityPerMinute: 1e15, maxQueryComplexity: 1e15, requestsPerMinute: 1e12, concurrency: 1e6, dailyCalls: 1e15 };

async function cannon(url: string, token: string, bodies: string[], durationS: number, connections: number): Promise<{ rps: number; p99: number; non2xx: number }> {
  let next = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: durationS,
    headers: { 'content-type': 'application/json', authorization: token, 'api-version': '2026-10' },
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
  });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx };
}

const RECEIVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body.startsWith('{"challenge"') ? body : '{}');
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

function startReceiverProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve({ url: `http://127.0.0.1:${chunk.toString().trim()}/hooks`, child }));
  });
}

async function main(): Promise<void> {
  const durationS = option('duration', 5);
  const connections = option('connections', 50);
  const webhookCount = option('webhooks', 20_000);
  const em = await startMondayEmulator({ seed: 'demo', limits: UNLIMITED, requestLog: false });
  const board = DEMO_BOARDS.opportunities.id;
  const items = em.control.seedItems(
    board,
    Array.from({ length: 1_000 }, (_v, i) => ({ name: `Bench deal ${i}`, columnValues: { amount: String(i), stage: { label: 'Follow-up' } } })),
  );

  const readQuery = 'query ($ids: [ID!]) { items(ids: $ids) { id name updated_at column_values(ids: ["stage", "amount", "close_date"]) { id text value } } }';
  const reads = items.slice(0, 200).map((item) => JSON.stringify({ query: readQuery, variables: { ids: [String(item.id)] } }));
  const writeQuery = 'mutation ($b: ID!, $i: ID!, $cv: JSON!) { change_multiple_column_values(board_id: $b, item_id: $i, column_values: $cv) { id } }';
  const writes = items.map((item, i) =>
    JSON.stringify({
      query: writeQuery,
      variables: { b: String(board), i: String(item.id), cv: JSON.stringify({ amount: String(i * 3), stage: { index: i % 2 === 0 ? 3 : 0 }, next_step: `Step ${i}` }) },
    }),
  );

  console.log(`monday emulator bench: ${durationS}s per phase, ${connections} connections`);
  await cannon(em.url, em.apiToken, [...reads, ...writes], 1, connections); // warm-up, not reported
  const read = await cannon(em.url, em.apiToken, reads, durationS, connections);
  console.log(`reads  (items by id, 3 column values): ${Math.round(read.rps)} req/s  p99 ${read.p99} ms  non-2xx ${read.non2xx}`);
  const write = await cannon(em.url, em.apiToken, writes, durationS, connections);
  console.log(`writes (change_multiple_column_values, 3 columns): ${Math.round(write.rps)} req/s  p99 ${write.p99} ms  non-2xx ${write.non2xx}`);

  // The receiver runs in its own process, as the service would, so its CPU is not charged to the emulator.
  const receiver = await startReceiverProcess();
  const hook = await fetch(em.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: em.apiToken },
    body: JSON.stringify({
      query: 'mutation ($b: ID!, $u: String!) { create_webhook(board_id: $b, url: $u, event: change_column_value) { id } }',
      variables: { b: String(board), u: receiver.url },
    }),
  });
  if (!hook.ok) throw new Error(`create_webhook failed: ${hook.status}`);

  const started = Date.now();
  for (let i = 0; i < webhookCount; i++) {
    const item = items[i % items.length];
    em.control.changeColumnValues({ itemId: item.id, columnValues: { amount: String(i) } });
  }
  const enqueuedMs = Date.now() - started;
  await em.control.waitForWebhooks();
  const deliveredMs = Date.now() - started;
  const stats = em.control.webhookStats();
  console.log(
    `webhooks: ${webhookCount} events enqueued in ${enqueuedMs} ms, all delivered in ${deliveredMs} ms -> ${Math.round((stats.delivered * 1000) / deliveredMs)} deliveries/s (delivered ${stats.delivered}, failed ${stats.failed})`,
  );

  receiver.child.kill();
  await em.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
