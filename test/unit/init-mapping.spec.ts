import { parse } from 'yaml';
import { buildInitMapping, objectKeyFor, type InitMapping } from '../../src/mapping/init-mapping';
import { renderInitMappingJson, renderInitMappingYaml } from '../../src/mapping/init-mapping-yaml';
import { summarizeInitMapping } from '../../src/mapping/init-mapping-summary';
import { findSalesforceIdColumn } from '../../src/mapping/init-salesforce-id-column';
import { titleKey } from '../../src/mapping/init-title-match';
import type { MondayBoardSchema, MondayColumnSchema, SalesforceObjectSchema } from '../../src/mapping/live-schema';
import { readMapping } from '../../src/mapping/load-mapping';
import { validateAgainstLive } from '../../src/mapping/validate-against-live';
import { sandboxSchemas } from '../support/sandbox-schemas';

const live = sandboxSchemas();
const demoBoard = (name: string): MondayBoardSchema => live.mondayBoards.find((b) => b.name === name)!;
const sObject = (name: string): SalesforceObjectSchema => live.salesforceObjects.find((o) => o.name === name)!;
const col = (id: string, title: string, type: string, settings: MondayColumnSchema['settings'] = {}): MondayColumnSchema => ({ id, title, type, settings });
const labels = (...names: string[]) => names.map((label, id) => ({ id, label }));
const board = (...columns: MondayColumnSchema[]): MondayBoardSchema => ({
  id: '42',
  name: 'Board',
  groups: [{ id: 'topics', title: 'Group' }],
  columns: [col('name', 'Name', 'name'), col('sf_id', 'Salesforce Id', 'text'), ...columns],
});
const init = (b: MondayBoardSchema, object: string): InitMapping =>
  buildInitMapping({ board: b, object: sObject(object), salesforceIdColumn: findSalesforceIdColumn(b)?.id ?? 'sf_id' });
const pairOf = (mapping: InitMapping, column: string) => mapping.pairs.find((p) => p.column.id === column);
const fieldOf = (mapping: InitMapping, column: string) => pairOf(mapping, column)?.field.name;

/** Renders, loads and validates against the same board and object: the problems of severity error. */
function errorsOf(mapping: InitMapping): string[] {
  const read = readMapping(renderInitMappingYaml(mapping, { schema: 'mapping.schema.json' }), { file: 'init.yaml' });
  if (!read.ok) return read.problems.map((p) => `${p.path}: ${p.message}`);
  return validateAgainstLive(read.mapping, { mondayBoards: [mapping.board], salesforceObjects: [mapping.object] })
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.path}: ${p.message}`);
}

describe('crm-sync init: matching columns to fields by title', () => {
  it('reduces titles to keys without case, spaces, punctuation and the __c suffix', () => {
    expect(titleKey('E-mail')).toBe('email');
    expect(titleKey('Probability (%)')).toBe('probability');
    expect(titleKey('Program_Interest__c')).toBe('programinterest');
    expect(titleKey('npe01__Preferred_Email__c')).toBe('preferredemail');
    expect(titleKey('Région')).toBe('region');
  });

  it('matches the demo Opportunities board to Opportunity by title, label and synonym', () => {
    const mapping = init(demoBoard('Opportunities'), 'Opportunity');
    expect(Object.fromEntries(mapping.pairs.map((p) => [p.column.id, p.field.name]))).toEqual({
      stage: 'StageName',
      amount: 'Amount',
      close_date: 'CloseDate',
      probability: 'Probability',
      owner: 'OwnerId',
      next_step: 'NextStep',
      lead_source: 'LeadSource',
      description: 'Description',
    });
    expect(pairOf(mapping, 'stage')?.matchedBy).toBe('synonym');
    expect(mapping.unmatchedColumns.map((u) => u.column.id)).toEqual(['engagement_period']);
    expect(mapping.unmatchedColumns[0]?.reason).toMatch(/timeline maps to two date fields/);
  });

  it('understands common synonyms and titles that repeat the object name', () => {
    const mapping = init(
      board(
        col('mail', 'E-mail address', 'email'),
        col('tel', 'Phone number', 'phone'),
        col('st', 'Status', 'status', { statusLabels: labels('Quote') }),
        col('who', 'Owner', 'people'),
        col('next', 'Opportunity Next Step', 'text'),
      ),
      'Opportunity',
    );
    // Opportunity has no Email/Phone: synonyms only land on fields the object has.
    expect(fieldOf(mapping, 'mail')).toBeUndefined();
    expect(fieldOf(mapping, 'st')).toBe('StageName');
    expect(fieldOf(mapping, 'who')).toBe('OwnerId');
    expect(fieldOf(mapping, 'next')).toBe('NextStep');

    const lead = init(
      board(
        col('mail', 'E-mail', 'email'),
        col('tel', 'Phone number', 'phone'),
        col('status', 'Lead Status', 'status', { statusLabels: labels('Qualified') }),
        col('state', 'State/Province', 'text'),
        col('staff', 'No. of Employees', 'numbers'),
        col('zip', 'Zip code', 'text'),
        col('interest', 'program interest', 'dropdown', { dropdownLabels: labels('Youth') }),
      ),
      'Lead',
    );
    expect(Object.fromEntries(lead.pairs.map((p) => [p.column.id, p.field.name]))).toEqual({
      mail: 'Email',
      tel: 'Phone',
      status: 'Status',
      state: 'State',
      staff: 'NumberOfEmployees',
      zip: 'PostalCode',
      interest: 'Program_Interest__c',
    });
  });

  it('gives a field to its exact title before a synonym, and says why the other column is left out', () => {
    const mapping = init(board(col('e1', 'E-mail address', 'email'), col('e2', 'Email', 'email')), 'Lead');
    expect(fieldOf(mapping, 'e2')).toBe('Email');
    expect(fieldOf(mapping, 'e1')).toBeUndefined();
    expect(mapping.unmatchedColumns.find((u) => u.column.id === 'e1')?.reason).toMatch(/Email, which another column already carries/);
  });

  it('keeps only pairs that convert, and maps a lookup only to a board relation or people column', () => {
    const mapping = init(board(col('close', 'Close Date', 'checkbox'), col('acct', 'Account', 'text'), col('amount', 'Amount', 'numbers')), 'Opportunity');
    expect(mapping.pairs.map((p) => p.field.name)).toEqual(['Amount']);
    expect(mapping.unmatchedColumns.find((u) => u.column.id === 'close')?.reason).toMatch(/no conversion/);
    expect(mapping.unmatchedColumns.find((u) => u.column.id === 'acct')?.reason).toMatch(/AccountId is a lookup/);
    expect(mapping.unmatchedFields.map((u) => u.field.name)).toEqual(expect.arrayContaining(['CloseDate', 'AccountId']));
    expect(mapping.unmatchedFields.find((u) => u.field.name === 'AccountId')?.fits).toEqual(['board_relation']);
  });

  it('never maps system fields, and maps a read-only field with authority salesforce', () => {
    const mapping = init(
      board(col('rev', 'Expected Revenue', 'numbers'), col('mod', 'System Modstamp', 'date'), col('rid', 'Record ID', 'text'), col('closed', 'Is Closed', 'checkbox')),
      'Opportunity',
    );
    expect(pairOf(mapping, 'rev')?.entry).toEqual({ salesforce: 'ExpectedRevenue', monday: 'rev', authority: 'salesforce' });
    expect(pairOf(mapping, 'closed')?.entry).toEqual({ salesforce: 'IsClosed', monday: 'closed', authority: 'salesforce' });
    expect(fieldOf(mapping, 'mod')).toBeUndefined();
    expect(fieldOf(mapping, 'rid')).toBeUndefined();
    expect(renderInitMappingYaml(mapping, { schema: 's.json' })).toMatch(/# ExpectedRevenue is read-only for the integration user: Salesforce -> monday only/);
    expect(errorsOf(mapping)).toEqual([]);
  });
});

describe('crm-sync init: values maps, references and the name field', () => {
  it('maps picklist values to status labels that are the same word, case aside, and lists what is left', () => {
    const stage = col('stage', 'Stage', 'status', { statusLabels: labels('follow-up', 'Quote', 'Won it') });
    const mapping = init(board(stage), 'Opportunity');
    const pair = pairOf(mapping, 'stage');
    expect(pair?.entry.values).toEqual({ 'Follow-up': 'follow-up', Quote: 'Quote' });
    expect(pair?.gaps?.labels).toEqual(['Won it']);
    expect(pair?.gaps?.picklistValues).toEqual(expect.arrayContaining(['Prospecting', 'Closed Won', 'Closed Lost']));
    const yaml = renderInitMappingYaml(mapping, { schema: 's.json' });
    expect(yaml).toMatch(/# StageName values with no label on "Stage" \(map them under values: as "Value: Label"\): Prospecting,/);
    expect(yaml).toMatch(/# labels with no StageName value \(restricted picklist: Salesforce rejects them\): Won it/);
    expect(errorsOf(mapping)).toEqual([]);
  });

  it('maps multi-select picklist values to dropdown labels', () => {
    const mapping = init(board(col('skills', 'Volunteer Skills', 'dropdown', { dropdownLabels: labels('Tutoring', 'EVENTS', 'Cooking') })), 'Contact');
    const pair = pairOf(mapping, 'skills');
    expect(pair?.field.name).toBe('Volunteer_Skills__c');
    expect(Object.values(pair?.entry.values ?? {})).toEqual(expect.arrayContaining(['EVENTS']));
    expect(pair?.gaps?.labels).toContain('Cooking');
  });

  it('references user for owner <-> people, and writes a relation to an object not in the file commented out', () => {
    const relation = col('acct', 'Account', 'board_relation', { boardIds: ['512'] });
    const mapping = init(board(col('owner', 'Opportunity Owner', 'people'), relation), 'Opportunity');
    expect(pairOf(mapping, 'owner')?.entry).toEqual({ salesforce: 'OwnerId', monday: 'owner', reference: 'user' });
    expect(mapping.pendingRelations).toEqual([expect.objectContaining({ targetKey: 'account', target: 'Account', boardIds: ['512'], entry: { salesforce: 'AccountId', monday: 'acct', reference: 'account' } })]);
    const yaml = renderInitMappingYaml(mapping, { schema: 's.json' });
    expect(yaml).toContain('# - { salesforce: AccountId, monday: acct, reference: account }');
    expect(summarizeInitMapping(mapping).join('\n')).toMatch(/AccountId: commented out until objects.account \(Account\) is mapped/);
    expect(errorsOf(mapping)).toEqual([]);
  });

  it('maps a relation back to the same board with the object own key', () => {
    const mapping = init(board(col('parent', 'Parent', 'board_relation', { boardIds: ['42'] })), 'Account');
    expect(pairOf(mapping, 'parent')?.entry).toEqual({ salesforce: 'ParentId', monday: 'parent', reference: 'account' });
    expect(errorsOf(mapping)).toEqual([]);
  });

  it('names Lead items after Company, leaving a Company column unmapped', () => {
    const mapping = init(board(col('company', 'Company', 'text'), col('last', 'Last Name', 'text')), 'Lead');
    expect(mapping.name.name).toBe('Company');
    expect(fieldOf(mapping, 'company')).toBeUndefined();
    expect(mapping.unmatchedColumns.find((u) => u.column.id === 'company')?.reason).toMatch(/item name/);
  });

  it('names Contact items after the computed Name when a column carries LastName, else after LastName', () => {
    expect(init(board(col('last', 'Last Name', 'text')), 'Contact').name.name).toBe('Name');
    const without = init(board(col('first', 'First Name', 'text')), 'Contact');
    expect(without.name.name).toBe('LastName');
    expect(without.requiredUnmapped).toEqual([]);
    expect(errorsOf(without)).toEqual([]);
  });

  it('lists required fields that a record created from monday would miss', () => {
    const mapping = init(board(col('amount', 'Amount', 'numbers')), 'Opportunity');
    expect(mapping.requiredUnmapped).toEqual(expect.arrayContaining(['StageName', 'CloseDate']));
    expect(renderInitMappingYaml(mapping, { schema: 's.json' })).toMatch(/# creating Opportunity records from monday needs .*StageName/);
  });
});

describe('crm-sync init: the written file', () => {
  it.each([
    ['Opportunities', 'Opportunity'],
    ['Leads', 'Lead'],
    ['Contacts', 'Contact'],
    ['Accounts', 'Account'],
  ])('for the demo board %s and %s loads and passes live validation', (boardName, objectName) => {
    const mapping = init(demoBoard(boardName), objectName);
    expect(mapping.pairs.length).toBeGreaterThan(3);
    expect(errorsOf(mapping)).toEqual([]);
  });

  it('starts with the schema line, keys the object by its lower-case name, and uses the defaults of interface.md', () => {
    const mapping = init(demoBoard('Opportunities'), 'Opportunity');
    const yaml = renderInitMappingYaml(mapping, { schema: '../src/mapping/mapping.schema.json' });
    expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=../src/mapping/mapping.schema.json');
    const parsed = parse(yaml) as { objects: Record<string, Record<string, unknown>> };
    expect(Object.keys(parsed.objects)).toEqual(['opportunity']);
    expect(parsed.objects.opportunity).toMatchObject({
      salesforce: 'Opportunity',
      monday: { board: '9378000526', salesforceIdColumn: 'salesforce_id' },
      name: 'Name',
      create: { salesforce: true, monday: true },
      delete: 'archive',
    });
    expect(yaml).toMatch(/# Columns of "Opportunities" with no field/);
    expect(yaml).toMatch(/# Opportunity fields with no column/);
  });

  it('writes the same mapping as JSON for a .json file', () => {
    const mapping = init(demoBoard('Opportunities'), 'Opportunity');
    const read = readMapping(renderInitMappingJson(mapping, { schema: 'mapping.schema.json' }), { file: 'init.json' });
    expect(read.ok && read.mapping.objects[0]?.fields.map((f) => f.salesforce)).toEqual(mapping.pairs.map((p) => p.field.name));
  });

  it('derives object keys that the schema accepts and that are not the reserved user', () => {
    expect(objectKeyFor('Opportunity')).toBe('opportunity');
    expect(objectKeyFor('Grant__c')).toBe('grant');
    expect(objectKeyFor('npe01__OppPayment__c')).toBe('npe01__opppayment');
    expect(objectKeyFor('User')).toBe('salesforce_user');
  });

  it('finds the Salesforce Id column by title among text columns only', () => {
    expect(findSalesforceIdColumn(board(col('x', 'x', 'text')))?.id).toBe('sf_id');
    const other = { ...board(), columns: [col('s', 'Salesforce Id', 'status'), col('t', 'SF ID', 'text')] };
    expect(findSalesforceIdColumn(other)?.id).toBe('t');
    expect(findSalesforceIdColumn({ ...board(), columns: [col('s', 'Salesforce Id', 'status')] })).toBeUndefined();
  });
});
