/**
 * The cost of personal-data encryption (issue 19), off and on in one run against one Postgres:
 * ingest CPU per event (appendEvents of CDC Lead changes and monday phone webhooks, process CPU
 * time over events), the replay read rate (the log read and decrypted page by page, as
 * `crm-sync replay` reads it), and the whole replay (`replayProjection`: read, decide, write the
 * projection with its personal values sealed again), as node CPU per 1,000 events and events/s.
 * Usage: npx tsx bench/pii.ts [events=20000] [persons=events]: with fewer persons than events, each
 * person's events share a data key (cached 30 s), as a working org's changes do.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { Pool } from 'pg';
import { appendEvents, readLogPages, type NewEvent } from '../src/event-store';
import { loadMapping } from '../src/mapping';
import { replayProjection } from '../src/migration/replay';
import { enablePersonalData, usePersonalData } from '../src/personal-data';
import { saveCachedContext } from '../src/sync-projector/sync-context-cache';
import { EXAMPLE_MAPPING, sandboxSchemas } from '../test/support/sandbox-schemas';
import { createBenchDatabase } from './support/bench-database';

const EVENTS = Number(process.argv[2] ?? 20_000);
const PERSONS = Number(process.argv[3] ?? EVENTS);
const BATCH = 20;

function eventAt(i: number): NewEvent {
  const person = i % PERSONS;
  const id = `00Q${String(person).padStart(12, '0')}AAA`;
  if (i % 2 === 0) {
    return {
      type: 'salesforce.record_changed', source: 'salesforce', sourceEventId: randomUUID(), stream: 'salesforce:Lead', origin: 'user', occurredAt: new Date(),
      payload: {
        object: 'Lead', recordId: id, changeType: 'UPDATE', fields: { Email: `person${person}@example.org`, LastName: `Surname${person}`, Phone: '+14155550100', Status: 'Working - Contacted' },
        changedFields: ['Email', 'LastName', 'Phone', 'Status'], changeOrigin: '', commitTimestamp: Date.now(), commitUser: '005000000000001AAA',
        transactionKey: randomUUID(), sequenceNumber: 1, channel: '/data/LeadChangeEvent', replayId: i,
      },
    };
  }
  return {
    type: 'monday.column_changed', source: 'monday', sourceEventId: randomUUID(), stream: `monday:item:${person}`, origin: 'user', occurredAt: new Date(),
    payload: {
      type: 'update_column_value', triggerTime: new Date().toISOString(), userId: 1, triggerUuid: randomUUID(), boardId: 9378000505, pulseId: 1_000_000 + person, pulseName: `Person ${person}`,
      columnId: 'phone', columnType: 'phone', value: { phone: '+14155550100', countryShortName: 'US' }, previousValue: null,
    },
  };
}

async function run(label: string, encrypted: boolean): Promise<string> {
  const db = await createBenchDatabase();
  const pool = new Pool({ connectionString: db.url, max: 4 });
  try {
    const mapping = loadMapping(EXAMPLE_MAPPING);
    if (encrypted) await enablePersonalData(pool, { key: randomBytes(32), previousKey: null }, mapping);
    else usePersonalData(null);
    await saveCachedContext(pool, { live: sandboxSchemas(), salesforceUsers: [], mondayUsers: [] });
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
    // The whole replay in this process: node CPU (user + system) from its start to its end.
    const replayCpu = process.cpuUsage();
    const replayStarted = process.hrtime.bigint();
    const replayed = await replayProjection(pool, db.url, mapping);
    const replayUsed = process.cpuUsage(replayCpu);
    const replayMs = Number(process.hrtime.bigint() - replayStarted) / 1e6;
    const replayCpuPer1k = (replayUsed.user + replayUsed.system) / 1000 / (replayed.handled / 1000);
    return (
      `${label}: ingest ${cpuPerEvent.toFixed(0)} us CPU/event (${Math.round(EVENTS / (appendMs / 1000))} events/s in batches of ${BATCH}); ` +
      `replay read ${Math.round(read / (readMs / 1000))} events/s (${read} events); ` +
      `replay ${replayCpuPer1k.toFixed(1)} ms node CPU per 1,000 events, ${Math.round(replayed.handled / (replayMs / 1000))} events/s (${replayed.handled} events)`
    );
  } finally {
    usePersonalData(null);
    await pool.end();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  const lines = [await run('encryption off', false), await run('encryption on ', true), await run('encryption off', false), await run('encryption on ', true)];
  process.stdout.write(`bench/pii: ${EVENTS} events of ${PERSONS} persons (half CDC Lead changes with 3 personal fields, half monday phone webhooks with 3), load average at start ${load}, ${new Date().toISOString()}\n${lines.join('\n')}\nload average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
}

void main();
