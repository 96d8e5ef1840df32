/**
 * `crm-sync init` (interface.md section 4) against both emulators: the written file loads and
 * passes live validation, the Salesforce Id column is created when the board lacks one, and an
 * existing file is never overwritten without --force.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readLiveContext } from '../../src/migration/read-live-context';
import { CliError } from '../../src/cli/cli-error';
import { buildProgram } from '../../src/cli/main';
import { runInit, type InitOptions, type InitStreams } from '../../src/cli/commands/init.command';
import { loadConfig } from '../../src/config';
import type { AppConfig } from '../../src/config/app-config';
import { loadMapping, validateAgainstLive, type Mapping } from '../../src/mapping';
import { createMondayClient } from '../../src/monday';
import { createSalesforceClient } from '../../src/salesforce';
import { DEMO_BOARDS, INTEGRATION_USER_ID } from '@crm-sync/sandbox';
import { statusSettings } from '@crm-sync/sandbox';
import { startSandbox, type SandboxEnvironment } from '@crm-sync/sandbox';

const ROOT = resolve(__dirname, '../..');
const OPPORTUNITIES = String(DEMO_BOARDS.opportunities.id);

describe('crm-sync init against the sandbox', () => {
  let sandbox: SandboxEnvironment;
  let config: AppConfig;
  let dir: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    config = loadConfig({}, { ...sandbox.variables });
    dir = mkdtempSync(join(tmpdir(), 'crm-sync-init-'));
  });
  afterAll(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const quiet = (): InitStreams & { lines: string[] } => {
    const lines: string[] = [];
    return { lines, report: (line) => lines.push(line), output: (text) => lines.push(text) };
  };
  const init = (options: InitOptions, streams = quiet()) => runInit(options, config, streams);

  /** The file's problems of severity error against what both emulators serve now. */
  async function liveErrors(mapping: Mapping): Promise<string[]> {
    const salesforce = await createSalesforceClient(config.salesforce);
    const { live } = await readLiveContext(mapping, salesforce, createMondayClient(config.monday));
    return validateAgainstLive(mapping, live).filter((p) => p.severity === 'error').map((p) => `${p.path}: ${p.message}`);
  }

  it('writes a mapping for the Opportunities board and Opportunity that loads, validates, and maps StageName to the stage status with values', async () => {
    const out = join(dir, 'opportunity.yaml');
    const streams = quiet();
    const outcome = await init({ board: OPPORTUNITIES, object: 'Opportunity', out }, streams);

    expect(outcome.createdColumn).toBeNull();
    const mapping = loadMapping(out);
    expect(await liveErrors(mapping)).toEqual([]);
    const [object] = mapping.objects;
    expect(object).toMatchObject({ key: 'opportunity', salesforce: 'Opportunity', monday: { board: OPPORTUNITIES, salesforceIdColumn: 'salesforce_id' }, name: 'Name' });
    const stage = object?.fields.find((f) => f.salesforce === 'StageName');
    expect(stage).toMatchObject({ monday: 'stage', values: { 'Follow-up': 'Follow-up', Quote: 'Quote', MOU: 'MOU', 'Closed Lost': 'Closed Lost' } });
    expect(object?.fields.find((f) => f.salesforce === 'OwnerId')).toMatchObject({ monday: 'owner', reference: 'user' });

    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=\S*mapping\.schema\.json$/);
    expect(existsSync(resolve(dir, /\$schema=(\S+)/.exec(text)![1]!))).toBe(true);
    expect(text).toContain('# - { salesforce: AccountId, monday: account, reference: account }');
    expect(streams.lines.join('\n')).toMatch(/matched 8 column\(s\) to fields/);
    expect(streams.lines.join('\n')).toMatch(/unmatched columns \(1\): "Engagement Period" \(engagement_period\)/);
  });

  it('creates the Salesforce Id column on a board that has none and names it in the file', async () => {
    const seeded = sandbox.monday.control.seedBoard({
      name: 'Grants',
      ownerId: INTEGRATION_USER_ID,
      groups: [{ id: 'topics', title: 'Applications' }],
      columns: [
        { id: 'amount', title: 'Amount', type: 'numbers' },
        { id: 'status', title: 'Status', type: 'status', settings: { ...statusSettings({ 0: 'Draft', 1: 'Awarded', 2: 'Rejected' }) } },
        { id: 'deadline', title: 'Application Deadline', type: 'date' },
        { id: 'notes', title: 'Reporting Requirements', type: 'long_text' },
      ],
    });
    const boardId = String(seeded.id);
    const out = join(dir, 'grant.yaml');
    const outcome = await init({ board: boardId, object: 'Grant__c', out });

    const created = sandbox.monday.control.board(seeded.id)?.columns.filter((c) => c.title === 'Salesforce Id') ?? [];
    expect(created).toHaveLength(1);
    expect(created[0]?.type).toBe('text');
    expect(outcome.createdColumn).toBe(created[0]?.id);
    const mapping = loadMapping(out);
    expect(mapping.objects[0]).toMatchObject({ key: 'grant', salesforce: 'Grant__c', monday: { board: boardId, salesforceIdColumn: created[0]?.id } });
    expect(mapping.objects[0]?.fields.map((f) => [f.monday, f.salesforce])).toEqual([
      ['amount', 'Amount__c'],
      ['status', 'Status__c'],
      ['deadline', 'Application_Deadline__c'],
      ['notes', 'Reporting_Requirements__c'],
    ]);
    expect(mapping.objects[0]?.fields[1]?.values).toEqual({ Draft: 'Draft', Awarded: 'Awarded' });
    expect(readFileSync(out, 'utf8')).toMatch(/labels with no Status__c value \(restricted picklist: Salesforce rejects them\): Rejected/);
    expect(await liveErrors(mapping)).toEqual([]);

    // A second run finds the column it created instead of adding another.
    const again = await init({ board: boardId, object: 'Grant__c', out, force: true });
    expect(again.createdColumn).toBeNull();
    expect(sandbox.monday.control.board(seeded.id)?.columns.filter((c) => c.title === 'Salesforce Id')).toHaveLength(1);
  });

  it('on --dry-run prints the mapping and neither writes the file nor creates the column', async () => {
    const seeded = sandbox.monday.control.seedBoard({ name: 'Dry', ownerId: INTEGRATION_USER_ID, groups: [{ id: 'topics', title: 'G' }], columns: [{ id: 'amount', title: 'Amount', type: 'numbers' }] });
    const out = join(dir, 'dry.yaml');
    const streams = quiet();
    const outcome = await init({ board: String(seeded.id), object: 'Opportunity', out, dryRun: true }, streams);
    expect(existsSync(out)).toBe(false);
    expect(sandbox.monday.control.board(seeded.id)?.columns.some((c) => c.title === 'Salesforce Id')).toBe(false);
    expect(streams.lines).toContain(outcome.text);
    expect(outcome.text).toContain('salesforce: Amount');
  });

  it('refuses to overwrite an existing file unless --force, and names a board or object that does not exist', async () => {
    const out = join(dir, 'existing.yaml');
    writeFileSync(out, 'hand-written: true\n');
    await expect(init({ board: OPPORTUNITIES, object: 'Opportunity', out })).rejects.toThrow(/existing\.yaml already exists; use --force/);
    expect(readFileSync(out, 'utf8')).toBe('hand-written: true\n');

    await init({ board: OPPORTUNITIES, object: 'Opportunity', out, force: true });
    expect(loadMapping(out).objects[0]?.key).toBe('opportunity');

    const fresh = join(dir, 'never.yaml');
    await expect(init({ board: '123', object: 'Opportunity', out: fresh })).rejects.toThrow(new CliError('board 123 does not exist or is not shared with the integration user'));
    await expect(init({ board: OPPORTUNITIES, object: 'NoSuchThing__c', out: fresh })).rejects.toThrow(/Salesforce object NoSuchThing__c does not exist/);
    expect(existsSync(fresh)).toBe(false);
  });

  it('is the `crm-sync init` command: its options reach the run, and an existing file exits 1 with one line', async () => {
    const out = join(dir, 'cli.yaml');
    const saved = { ...process.env };
    let stdout = '';
    const printed = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    try {
      Object.assign(process.env, sandbox.variables);
      await buildProgram().parseAsync(['node', 'crm-sync', 'init', '--board', OPPORTUNITIES, '--object', 'Opportunity', '--out', out, '--key', 'deals']);
    } finally {
      printed.mockRestore();
      process.env = saved;
    }
    expect(loadMapping(out).objects[0]).toMatchObject({ key: 'deals', salesforce: 'Opportunity' });
    expect(stdout).toMatch(/wrote .*cli\.yaml/);

    // The real executable: one line on stderr and exit code 1 (the file is checked before any network call).
    const child = spawn(process.execPath, [resolve(ROOT, 'node_modules/tsx/dist/cli.mjs'), resolve(ROOT, 'src/cli/main.ts'), 'init', '--board', OPPORTUNITIES, '--object', 'Opportunity', '--out', out], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...sandbox.variables },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([`crm-sync: ${out} already exists; use --force to overwrite it, or --out to write another file`]);
  });
});
