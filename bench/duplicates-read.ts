/**
 * bench/duplicates-read: `crm-sync duplicates --object lead` end to end at scale: N Leads (half
 * Salesforce records, half monday items on the Leads board, 2% of them planted duplicates: a
 * monday item with another Lead's e-mail in another case, its phone in another format, or a
 * one-letter first-name change at the same company), read through the real adapters (jsforce SOQL
 * paging, monday GraphQL items_page) from the two emulators, then clustered.
 *
 *   npx tsx bench/duplicates-read.ts [--records 100000]
 *
 * The search runs in a child process (tsx, as `crm-sync duplicates` runs it through bin/crm-sync.js
 * without the heap settings), so its peak RSS (the kernel's high-water mark) is its own, not the
 * emulators', which hold every record in memory in this process. Requests are counted by the
 * emulators (Salesforce API usage, monday request log). Progress lines ("read N") come from the
 * child's progress callback, as the CLI's progress bar does.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { DEMO_BOARDS, startMondayEmulator, startSalesforceEmulator } from '@crm-sync/sandbox';
import { createBenchDatabase } from './support/bench-database';
import { numberOption } from './support/bench-options';
import { log, report, round } from './support/bench-report';

const ROOT = resolve(__dirname, '..');
const CHILD = resolve(__dirname, 'support/duplicates-read-child.ts');
const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Wilson', 'Anderson'];

async function main(): Promise<void> {
  const total = numberOption('records', 100_000);
  const duplicates = Math.round(total * 0.02);
  const originals = total - duplicates;
  const db = await createBenchDatabase();
  const sf = await startSalesforceEmulator({ seed: 'empty', dailyApiLimit: 10_000_000 });
  const monday = await startMondayEmulator({ seed: 'demo' });
  const board = DEMO_BOARDS.leads.id;
  try {
    log(`seeding ${originals} Leads (half in each CRM) and ${duplicates} planted duplicates on monday`);
    const person = (i: number) => {
      const first = FIRST[i % FIRST.length]!;
      const last = `${LAST[(i * 7) % LAST.length]}${i % 997}`;
      return { first, last, company: `Company ${i}`, email: `${first}.${last}.${i}@company${i}.org`.toLowerCase(), phone: `+1 415 ${200 + Math.floor(i / 10_000)} ${String(i % 10_000).padStart(4, '0')}` };
    };
    const salesforceOriginals: number[] = [];
    const chunk: Array<{ type: string; fields: Record<string, unknown> }> = [];
    const items: Array<{ name: string; columnValues: Record<string, unknown> }> = [];
    for (let i = 0; i < originals; i++) {
      const p = person(i);
      if (i % 2 === 0) {
        salesforceOriginals.push(i);
        chunk.push({ type: 'Lead', fields: { FirstName: p.first, LastName: p.last, Company: p.company, Email: p.email, Phone: p.phone, CreatedDate: '2025-01-15T10:00:00.000Z' } });
        if (chunk.length === 10_000) sf.control.seed(chunk.splice(0));
      } else {
        items.push({ name: p.company, columnValues: { first_name: p.first, last_name: p.last, email: { email: p.email, text: p.email }, phone: { phone: p.phone.replace(/ /g, ''), countryShortName: 'US' } } });
      }
    }
    if (chunk.length > 0) sf.control.seed(chunk.splice(0));
    for (let d = 0; d < duplicates; d++) {
      const p = person(salesforceOriginals[(d * 7919) % salesforceOriginals.length]!);
      const kind = d % 3;
      const email = kind === 0 ? p.email.toUpperCase() : `other${d}@mail${d}.net`;
      const columnValues: Record<string, unknown> = { first_name: kind === 2 ? `${p.first}x` : p.first, last_name: p.last, email: { email, text: email } };
      if (kind === 1) columnValues.phone = { phone: `+1${p.phone.slice(3).replace(/ /g, '')}`, countryShortName: 'US' };
      items.push({ name: p.company, columnValues });
    }
    for (let start = 0; start < items.length; start += 5_000) monday.control.seedItems(board, items.slice(start, start + 5_000));
    const usageBefore = sf.control.apiUsage().used;
    monday.control.clearRequestLog();
    log(`duplicates --object lead in a child process against ${sf.url} and ${monday.url}`);
    const loadBefore = loadavg()[0];
    const result = await runChild({
      BENCH_DATABASE: db.url,
      SALESFORCE_LOGIN_URL: sf.url,
      SALESFORCE_CLIENT_ID: sf.credentials.clientId,
      SALESFORCE_CLIENT_SECRET: sf.credentials.clientSecret,
      SALESFORCE_USERNAME: sf.credentials.username,
      SALESFORCE_PASSWORD: sf.credentials.password,
      MONDAY_API_URL: monday.url,
      MONDAY_API_TOKEN: monday.apiToken,
      // Required by the configuration, unused by the search.
      MONDAY_WEBHOOK_TOKEN: 'bench-webhook-token',
      BENCH_MAPPING: resolve(ROOT, 'examples/nonprofit-leads.yaml'),
    });
    const loadAfter = loadavg()[0];
    const mondayRequests = monday.control.requestLog().length;
    report({
      bench: 'duplicates-read',
      targets: {
        'every planted duplicate clustered with its original': result.plantedFound >= duplicates,
        'minutes, not hours: <= 10 min': result.realMs <= 600_000,
        'peak RSS of the search < 500 MB': result.peakRss < 500 * 1024 * 1024,
      },
      rows: [
        {
          records: total,
          'planted duplicates': duplicates,
          'clustered with original': result.plantedFound,
          clusters: result.clusters,
          'read s': round(result.readMs / 1000, 1),
          'cluster s': round(result.clusterMs / 1000, 1),
          'total s': round(result.realMs / 1000, 1),
          'salesforce requests': sf.control.apiUsage().used - usageBefore,
          'monday requests': mondayRequests,
          'progress updates': result.progressUpdates,
          'peak RSS MB': round(result.peakRss / 1024 / 1024, 0),
          'load avg 1 min (start/end)': `${round(loadBefore, 2)}/${round(loadAfter, 2)}`,
        },
      ],
      notes: ['peak RSS is the child\'s own (process.resourceUsage().maxRSS), tsx loader included; the emulators run in the parent', 'no links in sync_records: every record and item is its own candidate'],
    });
  } finally {
    await monday.close();
    await sf.close();
    await db.drop();
  }
}

interface ChildResult {
  readMs: number;
  clusterMs: number;
  realMs: number;
  peakRss: number;
  clusters: number;
  plantedFound: number;
  progressUpdates: number;
}

function runChild(env: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [resolve(ROOT, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', resolve(ROOT, 'tsconfig.json'), CHILD], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('DUPLICATES_CHILD '));
      if (code !== 0 || !line) return reject(new Error(`duplicates child exited with ${code}: ${out.slice(-2000)}`));
      resolvePromise(JSON.parse(line.slice('DUPLICATES_CHILD '.length)) as ChildResult);
    });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
