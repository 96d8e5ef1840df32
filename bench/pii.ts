/**
 * The cost of personal-data encryption (issue 19), off and on in one run against one Postgres:
 * ingest CPU per event (appendEvents of CDC Lead changes and monday phone webhooks, process CPU
 * time over events) and the replay read rate (the log read and decrypted page by page, as
 * `crm-sync replay` reads it). Usage: npx tsx bench/pii.ts [events=20000]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { Pool } from 'pg';
import { appendEvents, type NewEvent } from '../src/event-store';
import { loadMapping } from '../src/mapping';
import { readLogPages } from '../src/migration/replay-log-reader';
import { enablePersonalData, usePersonalData } from '../src/personal-data';
import { createBenchDatabase } from './support/bench-database';

const EVENTS = Number(process.argv[2] ?? 20_000);
const BATCH = 20;

function eventAt(i: number): NewEvent {
  const id = `00Q${String(i).padStart(12, '0')}AAA`;
  if (i % 2 === 0) {
    return {
      type: 'salesforce.record_changed', source: 'salesforce', sourceEventId: randomUUID(), stream: 'salesforce:Lead', origin: 'user', occurredAt: new Date(),
      payload: {
        object: 'Lead', recordId: id, changeType: 'UPDATE', fields: { Email: `person${i}@example.org`, LastName: `Surname${i}`, Phone: '+14155550100', Status: 'Working - Contacted' },
        changedFields: ['Email', 'LastName', 'Phone', 'Status'], changeOrigin: '', commitTimestamp: Date.now(), commitUser: '005000000000001AAA',
        transactionKey: randomUUID(), sequenceNumber: 1, channel: '/data/LeadChangeEvent', replayId: i,
      },
    };
  }
  return {
    type: 'monday.column_changed', source: 'monday', sourceEventId: randomUUID(), stream: `monday:item:${i}`, origin: 'user', occurredAt: new Date(),
    payload: {
      type: 'update_column_value', triggerTime: new Date().toISOString(), userId: 1, triggerUuid: randomUUID(), boardId: 9378000505, pulseId: i, pulseName: `Person ${i}`,
      columnId: 'phone', columnType: 'phone', value: { phone: '+14155550100', countryShortName: 'US' }, previousValue: null,
    },
  };
}

async function run(label: string, encrypted: boolean): Promise<string> {
  const db = await createBenchDatabase();
  const pool = new Pool({ connectionString: db.url, max: 4 });
  try {
    if (encrypted) await enablePersonalData(pool, { key: randomBytes(32), previousKey: null }, loadMapping('examples/nonprofit-leads.yaml'));
    else usePersonalData(null);
    const events = Array.from({ length: EVENTS }, (_, i) => eventAt(i));
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let i = 0; i < events.length; i += BATCH) await appendEvents(pool, events.slice(i, i + BATCH));
    const used = process.cpuUsage(cpu);
    const appendMs = Number(process.hrtime.bigint() - started) / 1e6;
    const readStarted = process.hrtime.bigint();
    let read = 0;
    for await (const page of readLogPages(pool, 1000)) read += page.length;
    const readMs = Number(process.hrtime.bigint() - readStarted) / 1e6;
    const cpuPerEvent = (used.user + used.system) / EVENTS;
    return `${label}: ingest ${cpuPerEvent.toFixed(0)} us CPU/event (${Math.round(EVENTS / (appendMs / 1000))} events/s in batches of ${BATCH}); replay read ${Math.round(read / (readMs / 1000))} events/s (${read} events)`;
  } finally {
    usePersonalData(null);
    await pool.end();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  const lines = [await run('encryption off', false), await run('encryption on ', true), await run('encryption off', false), await run('encryption on ', true)];
  process.stdout.write(`bench/pii: ${EVENTS} events (half CDC Lead changes with 3 personal fields, half monday phone webhooks with 3), load average at start ${load}, ${new Date().toISOString()}\n${lines.join('\n')}\nload average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
}

void main();
