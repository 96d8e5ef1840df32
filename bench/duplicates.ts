/**
 * `crm-sync duplicates` at scale: 100,000 Leads (half in Salesforce, half as monday items, a third
 * of them linked), 2% of them planted duplicates (same e-mail in another case, the same phone in
 * another format, or a one-letter first-name change at the same company). Measures the in-memory
 * clustering (normalising, blocking, comparing within blocks, union-find, masters), which is the
 * part that grows with the data; reading is API paging, measured by bench/backfill's read path.
 * Prints the time, peak RSS, and whether every planted cluster was found.
 */
import { loadavg } from 'node:os';
import type { Candidate } from '../src/data-quality/candidate';
import { findClusters } from '../src/data-quality/find-clusters';

const TOTAL = Number(process.env.DUPLICATES_BENCH_RECORDS ?? 100_000);
const DUPLICATE_RATIO = 0.02;
const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas'];

let seed = 42;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

function generate(): { candidates: Candidate[]; planted: Array<[string, string]> } {
  const originals = Math.round(TOTAL * (1 - DUPLICATE_RATIO));
  const candidates: Candidate[] = [];
  for (let i = 0; i < originals; i++) {
    const first = pick(FIRST);
    const last = `${pick(LAST)}${i % 997}`;
    const company = `Company ${i} ${pick(LAST)}`;
    const crm = i % 2 === 0 ? 'salesforce' : 'monday';
    candidates.push({
      crm,
      id: crm === 'salesforce' ? `00Q${String(i).padStart(15, '0')}` : String(10_000_000 + i),
      name: `${first} ${last}`,
      firstName: first,
      lastName: last,
      company,
      organisationRef: null,
      emails: [`${first}.${last}.${i}@company${i}.org`.toLowerCase()],
      phones: [`+1 415 ${200 + Math.floor(i / 10_000)} ${String(i % 10_000).padStart(4, '0')}`],
      website: null,
      createdAt: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(),
      filled: 5 + (i % 7),
      linkedTo: null,
    });
  }
  const planted: Array<[string, string]> = [];
  for (let d = 0; d < TOTAL - originals; d++) {
    const original = candidates[Math.floor(random() * originals)]!;
    const id = `dup${d}`;
    const kind = d % 3;
    const copy: Candidate = {
      ...original,
      crm: 'monday',
      id,
      linkedTo: null,
      emails: kind === 0 ? [original.emails[0]!.toUpperCase()] : [`other${d}@mail${d}.net`],
      phones: kind === 1 ? [`(${original.phones[0]!.slice(3, 6)}) ${original.phones[0]!.slice(7, 10)}-${original.phones[0]!.slice(11)}`] : [],
      firstName: kind === 2 ? `${original.firstName}x` : original.firstName,
    };
    candidates.push(copy);
    planted.push([`${original.crm}:${original.id}`, `monday:${id}`]);
  }
  return { candidates, planted };
}

function main(): void {
  const { candidates, planted } = generate();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const started = process.hrtime.bigint();
  const { clusters, oversizedBlocks } = findClusters(candidates, {
    objectKey: 'lead',
    kind: 'person',
    phoneCountry: 'US',
    onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss)),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const clusterOf = new Map<string, string>();
  for (const cluster of clusters) for (const m of cluster.members) clusterOf.set(`${m.crm}:${m.id}`, cluster.id);
  const found = planted.filter(([a, b]) => clusterOf.get(a) !== undefined && clusterOf.get(a) === clusterOf.get(b)).length;
  const result = {
    records: candidates.length,
    planted: planted.length,
    plantedFound: found,
    clusters: clusters.length,
    oversizedBlocks,
    seconds: Number(seconds.toFixed(2)),
    recordsPerSecond: Math.round(candidates.length / seconds),
    peakRssMiB: Math.round(peakRss / 1024 / 1024),
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  };
  console.table([result]);
  console.log(`BENCH_RESULT ${JSON.stringify({ bench: 'duplicates', ...result })}`);
}

main();
