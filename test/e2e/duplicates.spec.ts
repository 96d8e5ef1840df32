import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { DuplicateCluster } from '../../src/data-quality/duplicate-cluster';
import { findDuplicates, clustersDocument } from '../../src/data-quality/duplicates';
import { mergeCluster } from '../../src/data-quality/merge-cluster';
import { listMergeAudits } from '../../src/data-quality/merge-audit';
import { expectEventually } from '../support/eventually';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';

const ROOT = resolve(__dirname, '../..');
const LEADS = 9378000505;
const ACCOUNTS = 9378000512;
const CONTACTS = 9378000519;

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [resolve(ROOT, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', resolve(ROOT, 'tsconfig.json'), resolve(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolveRun) => child.once('exit', (code) => resolveRun({ code, stdout, stderr })));
}

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
  async function pipelineIdle(): Promise<void> {
    await expectEventually(
      async () => {
        const { rows } = await env.db.pool.query<{ open: number; undecided: number }>(
          `SELECT (SELECT count(*)::int FROM outbox WHERE status IN ('pending', 'in_flight')) AS open,
                  (SELECT count(*)::int FROM events e WHERE NOT EXISTS (SELECT 1 FROM sync_decisions d WHERE d.position = e.position)) AS undecided`,
        );
        expect(rows[0]).toEqual({ open: 0, undecided: 0 });
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  }

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

  it('a merge leaves one Salesforce record and one item, fills the master, re-points relations, is audited; a second run finds nothing', async () => {
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
    await expectEventually(() => itemOf(winner, ACCOUNTS), { timeoutMs: 20_000 });
    await pipelineIdle();

    const cluster = clusterWith(clustersDocument(await findDuplicates(deps(), 'account')).clusters, winner)!;
    expect(idsOf(cluster)).toEqual(expect.arrayContaining([winner, loser]));
    const dry = await mergeCluster(deps(), { clusterId: cluster.id, objectKey: 'account', master: { crm: 'salesforce', id: winner }, dryRun: true });
    expect(dry.plan.salesforceMerges).toEqual([{ masterId: winner, mergeIds: [loser], masterFields: expect.objectContaining({ BillingCity: 'Portland' }) }]);
    expect(sf().records('Account').filter((r) => r.Id === loser)).toHaveLength(1); // a dry run changes nothing

    await mergeCluster(deps(), { clusterId: cluster.id, objectKey: 'account', master: { crm: 'salesforce', id: winner }, dryRun: false });
    expect(sf().records('Account').filter((r) => /Birchwood/.test(String(r.Name))).map((r) => r.Id)).toEqual([winner]);
    expect(sf().getRecord(winner)?.BillingCity).toBe('Portland');
    await expectEventually(() => expect(md().getItem(loserItem.id)?.state).not.toBe('active'), { timeoutMs: 20_000 });
    await expectEventually(() => expect(JSON.stringify(md().getItem(contactItem.id)?.values.account)).toContain(String(itemOf(winner, ACCOUNTS).id)), { timeoutMs: 20_000 });
    expect(md().listItems(ACCOUNTS).filter((i) => /Birchwood/.test(i.name) && md().getItem(i.id)?.state === 'active')).toHaveLength(1);
    const audits = await listMergeAudits(env.db.pool);
    expect(audits).toEqual([expect.objectContaining({ clusterId: cluster.id, objectKey: 'account', master: { crm: 'salesforce', id: winner }, status: 'done' })]);
    // The event log shows the merge: the loser's CDC delete and the catch-up it requested.
    const { rows } = await env.db.pool.query(`SELECT 1 FROM events WHERE type = 'system.catch_up_requested' AND source_event_id = $1`, [`merge:${loser}:${winner}`]);
    expect(rows).toHaveLength(1);

    await pipelineIdle();
    const again = clustersDocument(await findDuplicates(deps(), 'account')).clusters;
    expect(clusterWith(again, winner)).toBeUndefined();
  }, 120_000);
});
