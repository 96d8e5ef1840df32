import { SchedulerRegistry } from '@nestjs/schedule';
import { loadMapping } from '../../src/mapping';
import { backfillOrder, selectObjects } from '../../src/migration/backfill-object-order';
import { startMigrationSchedules, type MigrationScheduleDeps } from '../../src/migration/backfill.scheduler';
import { bulkRecordTyper, snapshotEvent } from '../../src/migration/backfill-snapshot-events';
import { backfillCountSoql, backfillSoql, canonicalModstamp } from '../../src/migration/backfill-soql';
import { EXAMPLE_MAPPING, sandboxSchemas } from '../support/sandbox-schemas';

const mapping = loadMapping(EXAMPLE_MAPPING);
const lead = mapping.objects.find((o) => o.key === 'lead')!;

describe('backfill plan', () => {
  it('reads parents before children: Account, then Opportunity and Contact, Lead last', () => {
    expect(backfillOrder(mapping.objects).map((o) => o.key)).toEqual(['account', 'opportunity', 'contact', 'lead']);
  });

  it('selects one object by key or Salesforce name, and names the known keys for an unknown one', () => {
    expect(selectObjects(mapping.objects, 'Opportunity')).toEqual([expect.objectContaining({ key: 'opportunity' })]);
    expect(selectObjects(mapping.objects, 'grant')).toEqual({ unknown: 'grant', known: ['lead', 'opportunity', 'account', 'contact'] });
  });

  it('queries in (SystemModstamp, Id) order with the mapping filter, --since and the resume cursor', () => {
    const soql = backfillSoql({ object: lead, since: '2026-01-01', after: { modstamp: '2026-02-03T04:05:06.000+0000', id: '00Q000000000001AAA' } });
    expect(soql).toMatch(/^SELECT Id, SystemModstamp, Company, FirstName, LastName, .* FROM Lead WHERE /);
    expect(soql).toContain("WHERE (Role__c = 'Partner' AND CreatedDate >= 2024-07-01T00:00:00Z) AND SystemModstamp >= 2026-01-01T00:00:00.000Z");
    expect(soql).toContain("AND (SystemModstamp > 2026-02-03T04:05:06.000Z OR (SystemModstamp = 2026-02-03T04:05:06.000Z AND Id > '00Q000000000001AAA'))");
    expect(soql).toMatch(/ORDER BY SystemModstamp ASC, Id ASC$/);
    expect(backfillCountSoql({ object: lead, since: null, after: null, ids: ["00Q'x"] })).toBe(
      "SELECT COUNT() FROM Lead WHERE (Role__c = 'Partner' AND CreatedDate >= 2024-07-01T00:00:00Z) AND Id IN ('00Q\\'x')",
    );
  });

  it('keys a snapshot by object, 18-character Id and SystemModstamp, whatever API read it', () => {
    expect(canonicalModstamp('2026-02-03T04:05:06.000+0000')).toBe(canonicalModstamp('2026-02-03T04:05:06.000Z'));
    const rest = snapshotEvent('Lead', { Id: '00QHs0000000001', SystemModstamp: '2026-02-03T04:05:06.000+0000', City: 'Oslo' }, 'backfill');
    expect(rest.sourceEventId).toBe('Lead:00QHs0000000001MAA:2026-02-03T04:05:06.000Z');
    expect(rest.payload).toEqual({ object: 'Lead', record: { Id: '00QHs0000000001MAA', City: 'Oslo' }, systemModstamp: '2026-02-03T04:05:06.000Z', reason: 'backfill' });
  });

  it('types Bulk API CSV values like the REST API (numbers, booleans, null)', () => {
    const schema = sandboxSchemas().salesforceObjects.find((o) => o.name === 'Lead')!;
    const typed = bulkRecordTyper(schema)({ Id: '00QHs0000000001MAA', NumberOfEmployees: '42', AnnualRevenue: '1.5', DoNotCall: 'true', City: null });
    expect(typed).toEqual({ Id: '00QHs0000000001MAA', NumberOfEmployees: 42, AnnualRevenue: 1.5, DoNotCall: true, City: null });
  });
});

describe('migration schedules', () => {
  it('schedules each backfill.schedule of the mapping, the monday catch-up and the CDC catch-ups, and stops them', async () => {
    const unused = new Proxy({}, { get: () => { throw new Error('no call expected while only scheduling'); } });
    const registry = new SchedulerRegistry();
    const deps = { pool: unused, databaseUrl: 'postgres://unused', salesforce: unused, monday: unused, logger: unused, mapping, registry } as unknown as MigrationScheduleDeps;
    const schedules = startMigrationSchedules(deps);
    try {
      expect(schedules.names).toEqual(['backfill:lead', 'monday-catch-up', 'catch-up-requests']);
      expect([...registry.getCronJobs().keys()]).toEqual(schedules.names);
      expect(registry.getCronJob('backfill:lead').isActive).toBe(true);
    } finally {
      await schedules.stop();
    }
    expect(registry.getCronJobs().size).toBe(0);
  });

  it('leaves the wall-clock jobs a test runs itself unscheduled: no monday catch-up (mondayCatchUp null), no backfills (backfills false)', async () => {
    const unused = new Proxy({}, { get: () => { throw new Error('no call expected while only scheduling'); } });
    const registry = new SchedulerRegistry();
    const deps = { pool: unused, databaseUrl: 'postgres://unused', salesforce: unused, monday: unused, logger: unused, mapping, registry } as unknown as MigrationScheduleDeps;
    const schedules = startMigrationSchedules(deps, { mondayCatchUp: null, backfills: false });
    try {
      expect(schedules.names).toEqual(['catch-up-requests']);
      expect([...registry.getCronJobs().keys()]).toEqual(['catch-up-requests']);
    } finally {
      await schedules.stop();
    }
  });
});
