import type { DuplicateCluster } from '../../src/data-quality/duplicate-cluster';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { recordHistory } from '../../src/admin/record-history';
import { DataQualityModule, MergeRequestService } from '../../src/data-quality/data-quality.module';
import { findDuplicates, clustersDocument } from '../../src/data-quality/duplicates';
import { expectEventually } from '../support/eventually';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';
import { runCli } from '../support/run-cli';
import { waitForPipelineIdle } from '../support/pipeline-idle';

const LEADS = 9378000505;
const ACCOUNTS = 9378000512;
const CONTACTS = 9378000519;


/** Contract section 5 "Data quality": planted clusters and decoys in both emulators, through the running sync. */
describe('crm-sync duplicates against both emulators', () => {
  let env: SyncEnvironment;
  beforeAll(async () => {
    env = await startSyncEnvironment();
    await expectEventually(async () => expect((await fetch(`${env.url}/health`)).status).toBe(200), { timeoutMs: 20_000 });
    // Planting duplicates on purpose: the org's duplicate rules would refuse them.
    for (const rule of ['Standard_Lead_Duplicate_Rule', 'Standard_Contact_Duplicate_Rule', 'Standard_Account_Duplicate_Rule']) {
      const res = await fetch(`${env.sandbox.salesforce.url}/__sandbox/duplicate-rules/${rule}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ active: false }),
      });
      expect(res.status).toBeLessThan(300);
    }
  });
  afterAll(async () => {
    await env?.stop();
  });

  const sf = () => env.sandbox.salesforce.control;
  const md = () => env.sandbox.monday.control;
  const deps = () => ({ db: env.service.runtime.pool, salesforce: env.salesforce, monday: env.monday, mapping: env.mapping });
  const createLead = (fields: Record<string, unknown>) => (sf().createAsHuman('Lead', fields) as { id: string }).id;
  const clusterWith = (clusters: readonly DuplicateCluster[], id: string) => clusters.find((c) => c.members.some((m) => m.id.startsWith(id) || id.startsWith(m.id)));
  const idsOf = (cluster: DuplicateCluster | undefined) => (cluster?.members ?? []).map((m) => m.id);
  const pipelineIdle = () => waitForPipelineIdle(env.db.pool);

  let emailLead: string;
  let emailItem: number;
  let phoneLead: string;
  let phoneItem: number;
  let jon: string;
  let john: string;
  let decoyLead: string;
  let decoyItem: number;

  it('finds every planted cluster (e-mail, phone, similar name at one company) across both CRMs and clusters no decoy', async () => {
    emailLead = createLead({ FirstName: 'Ada', LastName: 'Quill', Company: 'Quillworks', Email: 'ada.quill@quillworks.org' });
    emailItem = md().createItem({ boardId: LEADS, name: 'Quillworks Ltd', columnValues: { first_name: 'Augusta', last_name: 'Quillon', email: { email: 'ADA.QUILL@Quillworks.org', text: 'Ada' } } }).id;
    phoneLead = createLead({ FirstName: 'Cy', LastName: 'Berne', Company: 'Berne Labs', Phone: '(415) 555-0199' });
    phoneItem = md().createItem({ boardId: LEADS, name: 'Berne Laboratories', columnValues: { first_name: 'Cyrus', last_name: 'Bernardi', phone: { phone: '+14155550199', countryShortName: 'US' } } }).id;
    jon = createLead({ FirstName: 'Jon', LastName: 'Smithers', Company: 'Acme Robotics', Email: 'jon.s@acmerobotics.io' });
    john = createLead({ FirstName: 'John', LastName: 'Smithers', Company: 'Acme Robotics, Inc.', Title: 'CTO', City: 'Denver' });
    decoyLead = createLead({ FirstName: 'John', LastName: 'Smithers', Company: 'Globex Systems' });
    decoyItem = md().createItem({ boardId: LEADS, name: 'Initech', columnValues: { first_name: 'Jon', last_name: 'Smithers' } }).id;
    await pipelineIdle();

    const clusters = clustersDocument(await findDuplicates(deps(), 'lead')).clusters;
    const byEmail = clusterWith(clusters, emailLead);
    expect(idsOf(byEmail)).toEqual(expect.arrayContaining([emailLead, String(emailItem)]));
    expect(byEmail?.reasons).toContain('email');
    const byPhone = clusterWith(clusters, phoneLead);
    expect(idsOf(byPhone)).toEqual(expect.arrayContaining([phoneLead, String(phoneItem)]));
    expect(byPhone?.reasons).toContain('phone');
    const byName = clusterWith(clusters, jon);
    expect(idsOf(byName)).toEqual(expect.arrayContaining([jon, john]));
    expect(byName?.reasons).toContain('name');
    for (const decoy of [decoyLead, String(decoyItem)]) expect(clusterWith(clusters, decoy)).toBeUndefined();
    // The sync's own items for the new Leads are linked to them: one entity, never a cluster of two.
    for (const cluster of clusters) expect(cluster.members.filter((m) => m.crm === 'salesforce').length + cluster.members.filter((m) => m.crm === 'monday' && !m.linkedTo).length).toBeGreaterThan(1);
  }, 120_000);

  it('--json prints the contract shape; the text table names each cluster and its master', async () => {
    const cliEnv = { ...env.sandbox.variables, DATABASE_URL: env.db.url, SYNC_CONFIG: EXAMPLE_MAPPING };
    const json = await runCli(['duplicates', '--object', 'lead', '--json'], cliEnv);
    expect(json.code).toBe(0);
    const document = JSON.parse(json.stdout) as { clusters: Array<Record<string, unknown>> };
    expect(Object.keys(document)).toEqual(['clusters']);
    expect(document.clusters.length).toBeGreaterThanOrEqual(3);
    for (const cluster of document.clusters) {
      expect(cluster).toEqual(
        expect.objectContaining({
          id: expect.stringMatching(/^dup-[0-9a-f]{12}$/),
          object: 'lead',
          reason: expect.any(String),
          master: { crm: expect.stringMatching(/^(salesforce|monday)$/), id: expect.any(String) },
        }),
      );
      for (const member of cluster.members as Array<Record<string, unknown>>) {
        expect(member).toEqual(expect.objectContaining({ crm: expect.stringMatching(/^(salesforce|monday)$/), id: expect.any(String), name: expect.any(String) }));
        expect('email' in member).toBe(true);
      }
    }
    const byName = document.clusters.find((c) => JSON.stringify(c.members).includes(jon))!;
    const table = await runCli(['duplicates', '--object', 'lead'], cliEnv);
    expect(table.stderr).not.toContain('crm-sync:');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`${String(byName.id)}  lead  same name`);
    const unknown = await runCli(['duplicates', '--object', 'grant'], cliEnv);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no object "grant" in the mapping');
  }, 120_000);

  async function mergeService(): Promise<{ merges: MergeRequestService; close: () => Promise<void> }> {
    const context: INestApplicationContext = await NestFactory.createApplicationContext(DataQualityModule.forRoot(deps()), { logger: false });
    return { merges: context.get(MergeRequestService), close: () => context.close() };
  }
  const outboxOf = async (position: number) =>
    (await env.db.pool.query<{ kind: string; status: string; attempts: number; payload: Record<string, unknown> }>('SELECT kind, status, attempts, payload FROM outbox WHERE caused_by = $1 ORDER BY id', [position])).rows;

  it('a merge goes through the pipeline: one Salesforce record and one item remain, the master filled, relations re-pointed, a failed merge() retried, the history shows it; a second run finds nothing', async () => {
    const winner = (sf().createAsHuman('Account', { Name: 'Birchwood Trust', Website: 'birchwood.org' }) as { id: string }).id;
    const loser = (sf().createAsHuman('Account', { Name: 'Birchwood Trust, Inc.', BillingCity: 'Portland' }) as { id: string }).id;
    const contact = (sf().createAsHuman('Contact', { FirstName: 'Ines', LastName: 'Okafor', AccountId: loser }) as { id: string }).id;
    const itemOf = (salesforceId: string, board: number) => {
      const found = md().listItems(board).find((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(salesforceId));
      if (!found) throw new Error(`no item for ${salesforceId} on board ${board}`);
      return found;
    };
    const loserItem = await expectEventually(() => itemOf(loser, ACCOUNTS), { timeoutMs: 20_000 });
    const contactItem = await expectEventually(() => itemOf(contact, CONTACTS), { timeoutMs: 20_000 });
    await expectEventually(() => expect(JSON.stringify(md().getItem(contactItem.id)?.values.account)).toContain(String(loserItem.id)), { timeoutMs: 20_000 });
    const winnerItem = await expectEventually(() => itemOf(winner, ACCOUNTS), { timeoutMs: 20_000 });
    await pipelineIdle();

    const cluster = clusterWith(clustersDocument(await findDuplicates(deps(), 'account')).clusters, winner)!;
    expect(idsOf(cluster)).toEqual(expect.arrayContaining([winner, loser]));
    const { merges, close } = await mergeService();
    try {
      const dry = await merges.plan({ clusterId: cluster.id, objectKey: 'account', master: { crm: 'salesforce', id: winner } });
      expect(dry.plan.salesforceMerges).toEqual([{ masterId: winner, mergeIds: [loser], masterFields: expect.objectContaining({ BillingCity: 'Portland' }) }]);
      expect(dry.plan.itemsFollowingMerge).toEqual([String(loserItem.id)]);
      expect(sf().records('Account').filter((r) => r.Id === loser)).toHaveLength(1); // a dry run changes nothing

      // The first merge() call fails (Salesforce unavailable): the dispatcher retries it.
      sf().injectFault({ kind: 'http_error', status: 503, pathContains: '/services/Soap', times: 1 });
      const { request } = await merges.request({ clusterId: cluster.id, objectKey: 'account', master: { crm: 'salesforce', id: winner } }, 'cli');
      const outcome = await merges.awaitFinished(request.position, 60_000);
      expect(outcome.decided).toEqual({ outcome: 'projected', reason: 'merge_requested' });
      expect(outcome.succeeded).toBe(true);
      const commands = await outboxOf(request.position);
      expect(commands.map((c) => [c.kind, c.status])).toEqual([['salesforce.merge', 'done']]);
      expect(commands[0]!.attempts).toBe(2);
    } finally {
      await close();
    }
    expect(sf().records('Account').filter((r) => /Birchwood/.test(String(r.Name))).map((r) => r.Id)).toEqual([winner]);
    expect(sf().getRecord(winner)?.BillingCity).toBe('Portland');
    await expectEventually(() => expect(md().getItem(loserItem.id)?.state).not.toBe('active'), { timeoutMs: 20_000 });
    await expectEventually(() => expect(JSON.stringify(md().getItem(contactItem.id)?.values.account)).toContain(String(winnerItem.id)), { timeoutMs: 20_000 });
    expect(md().listItems(ACCOUNTS).filter((i) => /Birchwood/.test(i.name) && md().getItem(i.id)?.state === 'active')).toHaveLength(1);
    await pipelineIdle();
    // The loser's item got the delete policy once: through the merge's CDC delete, not a second time from the request.
    const { rows: removals } = await env.db.pool.query(`SELECT id FROM outbox WHERE kind IN ('monday.archive_item', 'monday.delete_item') AND payload->>'itemId' = $1`, [String(loserItem.id)]);
    expect(removals).toHaveLength(1);

    // The history of the merged-away record (by either id) names the master.
    for (const [crm, id] of [['salesforce', loser], ['monday', String(loserItem.id)]] as const) {
      const history = await recordHistory(env.db.pool, crm, id);
      expect(history?.mergedInto).toEqual(expect.objectContaining({ crm: 'salesforce', id: winner, clusterId: cluster.id, via: 'salesforce_merge' }));
    }
    const masterHistory = await recordHistory(env.db.pool, 'salesforce', winner);
    expect(masterHistory?.events.map((e) => e.type)).toContain('system.merge_requested');
    expect(masterHistory?.commands).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'salesforce.merge', status: 'done' })]));

    const again = clustersDocument(await findDuplicates(deps(), 'account')).clusters;
    expect(clusterWith(again, winner)).toBeUndefined();
  }, 180_000);

  it('a merge whose answer was lost is recognised on the retry, not sent again', async () => {
    const winner = (sf().createAsHuman('Account', { Name: 'Cedar Grove Alliance', Website: 'cedargrove.net' }) as { id: string }).id;
    const loser = (sf().createAsHuman('Account', { Name: 'Cedar Grove Alliance', Phone: '(503) 555-0142' }) as { id: string }).id;
    for (const id of [winner, loser]) {
      await expectEventually(() => expect(md().listItems(ACCOUNTS).some((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(id))).toBe(true), { timeoutMs: 20_000 });
    }
    await pipelineIdle();
    const cluster = clusterWith(clustersDocument(await findDuplicates(deps(), 'account')).clusters, winner)!;
    expect(idsOf(cluster)).toEqual(expect.arrayContaining([winner, loser]));
    const { merges, close } = await mergeService();
    try {
      // Salesforce merges, then the connection drops before the answer.
      sf().injectFault({ kind: 'commit_then_drop', pathContains: '/services/Soap', times: 1 });
      const { request } = await merges.request({ clusterId: cluster.id, objectKey: 'account', master: { crm: 'salesforce', id: winner } }, 'cli');
      const outcome = await merges.awaitFinished(request.position, 60_000);
      expect(outcome.succeeded).toBe(true);
      expect(outcome.commands).toEqual([expect.objectContaining({ kind: 'salesforce.merge', status: 'done', attempts: 2 })]);
      const { rows } = await env.db.pool.query<{ payload: { result: Record<string, unknown> } }>(
        `SELECT payload FROM events WHERE type = 'system.command_succeeded' AND (payload->>'commandId')::bigint = $1`,
        [outcome.commands[0]!.id],
      );
      expect(rows.map((r) => r.payload.result.alreadyMerged)).toEqual([[loser]]);
    } finally {
      await close();
    }
    expect(sf().records('Account').filter((r) => r.Name === 'Cedar Grove Alliance').map((r) => r.Id)).toEqual([winner]);
    expect(sf().getRecord(winner)?.Phone).toBe('(503) 555-0142');
    await pipelineIdle();
  }, 120_000);

  it('an item with no record of its own is merged by the delete policy; the CLI dry run prints, --merge waits for the pipeline', async () => {
    const lead = createLead({ FirstName: 'Mara', LastName: 'Lindqvist', Company: 'Fjord Fund', Email: 'mara@fjordfund.org' });
    const leadItem = await expectEventually(() => {
      const found = md().listItems(LEADS).find((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(lead));
      if (!found) throw new Error('no item yet');
      return found;
    }, { timeoutMs: 20_000 });
    // Entered on the board by hand, not qualified: no Lead of its own.
    const stray = md().createItem({ boardId: LEADS, name: 'Fjord Fund', columnValues: { first_name: 'Mara', last_name: 'Lindqvist', email: { email: 'MARA@fjordfund.org', text: 'Mara' } } }).id;
    await pipelineIdle();
    const cluster = clusterWith(clustersDocument(await findDuplicates(deps(), 'lead')).clusters, lead)!;
    expect(idsOf(cluster)).toEqual(expect.arrayContaining([lead, String(leadItem.id), String(stray)]));

    const cliEnv = { ...env.sandbox.variables, DATABASE_URL: env.db.url, SYNC_CONFIG: EXAMPLE_MAPPING };
    const dry = await runCli(['duplicates', '--merge', cluster.id, '--object', 'lead', '--dry-run'], cliEnv);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Dry run: would merge ${cluster.id} (lead) into salesforce:${lead}`);
    expect(dry.stdout).toContain(`monday item ${stray}: archived`);
    expect(md().getItem(stray)?.state).toBe('active');

    const merged = await runCli(['duplicates', '--merge', cluster.id, '--object', 'lead', '--json'], cliEnv);
    expect(merged.stderr).not.toContain('crm-sync:');
    expect(merged.code).toBe(0);
    const report = JSON.parse(merged.stdout) as { request: { position: number }; progress: { succeeded: boolean } };
    expect(report.progress.succeeded).toBe(true);
    expect(md().getItem(stray)?.state).toBe('archived');
    expect(md().getItem(leadItem.id)?.state).toBe('active');
    expect((await outboxOf(report.request.position)).map((c) => [c.kind, c.status, c.payload.itemId])).toEqual([['monday.archive_item', 'done', String(stray)]]);
    const history = await recordHistory(env.db.pool, 'monday', String(stray));
    expect(history?.mergedInto).toEqual(expect.objectContaining({ crm: 'monday', id: String(leadItem.id), clusterId: cluster.id, via: 'delete_policy' }));

    await pipelineIdle();
    const again = await runCli(['duplicates', '--merge', cluster.id, '--object', 'lead'], cliEnv);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`no duplicate cluster ${cluster.id}`);
    expect(clusterWith(clustersDocument(await findDuplicates(deps(), 'lead')).clusters, lead)).toBeUndefined();
  }, 180_000);
});
