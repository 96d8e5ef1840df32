import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMapping, parseMapping, readMapping } from '../../src/mapping/load-mapping';
import { formatProblem, MappingError, type MappingProblem } from '../../src/mapping/mapping-problem';

const VALID = `
objects:
  account:
    salesforce: Account
    monday:
      board: "1234567890"
      salesforceIdColumn: text_sfid
      group: topics
    name: Name
    create:
      salesforce: true
      monday: true
    delete: archive
    backfill:
      where: "CreatedDate >= 2024-07-01T00:00:00Z"
      schedule: "0 3 * * 0"
    fields:
      - salesforce: Industry
        monday: status_industry
        authority: salesforce
        values:
          Technology: Tech
      - salesforce: Phone
        monday: phone_main
      - salesforce: ParentId
        monday: board_relation_acct
        reference: account
      - salesforce: OwnerId
        monday: people_owner
        reference: user
`;

function problemsOf(text: string, file = 'crm-sync.yaml'): readonly MappingProblem[] {
  const result = readMapping(text, { file });
  if (result.ok) throw new Error('expected problems, the mapping loaded');
  return result.problems;
}

describe('loading the mapping file', () => {
  it('loads the interface.md example with defaults applied', () => {
    const mapping = parseMapping(VALID, { file: 'crm-sync.yaml' });
    expect(mapping.timeZone).toBe('UTC');
    const [account] = mapping.objects;
    expect(account).toMatchObject({
      key: 'account',
      salesforce: 'Account',
      monday: { board: '1234567890', salesforceIdColumn: 'text_sfid', group: 'topics' },
      delete: 'archive',
      create: { salesforce: { enabled: true }, monday: { enabled: true } },
      match: ['Name'],
    });
    expect(account?.fields[0]).toEqual({
      salesforce: 'Industry', monday: 'status_industry', authority: 'salesforce',
      values: { Technology: 'Tech' }, createLabelsIfMissing: false,
    });
    expect(account?.fields[1]?.authority).toBe('both');
    expect(account?.fields[3]?.reference).toBe('user');
  });

  it('loads the same structure from JSON, with positions', () => {
    const json = JSON.stringify({ objects: { account: { salesforce: 'Account', monday: { board: 42, salesforceIdColumn: 'text_sfid' }, fields: [] } } }, null, 2);
    const mapping = parseMapping(json, { file: 'crm-sync.json' });
    expect(mapping.objects[0]?.monday.board).toBe('42');
    expect(mapping.objects[0]?.delete).toBe('none');
    expect(mapping.source?.positions.get('objects.account.monday.board')).toEqual({ line: 6, column: 9 });
  });

  it('reports a JSON syntax error with its line', () => {
    const problems = problemsOf('{\n  "objects": {\n    "a": 1,\n  }\n}', 'm.json');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'SYNTAX', line: expect.any(Number) });
    expect(problems[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('reports YAML syntax errors and duplicate keys with line and column', () => {
    const problems = problemsOf('objects:\n  lead:\n    salesforce: Lead\n    salesforce: Contact\n');
    expect(problems[0]).toMatchObject({ code: 'SYNTAX', line: 4 });
    expect(problems[0]?.message).toMatch(/unique/i);
  });

  it('reports every schema problem at once, each with its path and line', () => {
    const text = `objects:
  lead:
    salesforce: Lead
    monday:
      board: "12a"
      salesforceIdColumn: text_sfid
    delete: archiv
    create:
      salesforce: yes
    fields:
      - salesforce: Email
        mondy: email_1
      - salesforce: Status
        monday: status
        authority: everyone
      - salesforce: [StartDate__c]
        monday: timeline
`;
    const problems = problemsOf(text);
    const lines = problems.map((p) => `${p.path} @${p.line}: ${p.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^objects\.lead\.monday\.board @5: must be a monday board id/),
        expect.stringMatching(/^objects\.lead\.delete @7: must be one of none, archive, delete \(is "archiv"\)/),
        expect.stringMatching(/^objects\.lead\.create\.salesforce @9: must be a boolean or a mapping \(is "yes"\)/),
        expect.stringMatching(/^objects\.lead\.fields\[0\]\.monday @11: is required/),
        expect.stringMatching(/^objects\.lead\.fields\[0\]\.mondy @12: unknown key "mondy" \(did you mean "monday"\?\)/),
        expect.stringMatching(/^objects\.lead\.fields\[1\]\.authority @15: must be one of salesforce, monday, both/),
        expect.stringMatching(/^objects\.lead\.fields\[2\]\.salesforce @16: a list must name exactly two date fields/),
      ]),
    );
    expect(problems).toHaveLength(7);
    expect(problems.every((p) => p.code === 'SCHEMA')).toBe(true);
  });

  it('reports a missing objects key and unknown top-level keys', () => {
    const problems = problemsOf('object:\n  lead: {}\n');
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['objects', 'object']));
    expect(problems.find((p) => p.path === 'object')?.message).toMatch(/did you mean "objects"/);
  });

  it('still checks valid objects when another object fails the schema', () => {
    const text = `objects:
  broken:
    salesforce: Account
  lead:
    salesforce: Lead
    monday: { board: 1, salesforceIdColumn: text_sfid }
    fields:
      - { salesforce: OwnerId, monday: people, reference: owner }
`;
    const problems = problemsOf(text);
    expect(problems.map((p) => p.code)).toEqual(['SCHEMA', 'UNKNOWN_REFERENCE']);
    expect(problems[1]).toMatchObject({ path: 'objects.lead.fields[0].reference', line: 8 });
  });

  it('formats a problem as "path: message (file:line:column)"', () => {
    const problems = problemsOf('objects:\n  lead:\n    salesforce: Lead\n    monday: { board: 1, salesforceIdColumn: sf }\n    delete: maybe\n');
    expect(formatProblem(problems[0]!, 'crm-sync.yaml')).toBe(
      'objects.lead.delete: must be one of none, archive, delete (is "maybe") (crm-sync.yaml:5:5)',
    );
  });
});

describe('rules checked within the file', () => {
  const base = (extra: string, fields = '') => `objects:
  lead:
    salesforce: Lead
    monday: { board: 1, salesforceIdColumn: text_sfid }
    fields:
      - { salesforce: Email, monday: email }
${fields}${extra}`;

  it('reports a reference to an unknown object key, suggesting the close one', () => {
    const problems = problemsOf(`${base('', '      - { salesforce: ConvertedAccountId, monday: rel, reference: acount }\n')}  account:
    salesforce: Account
    monday: { board: 2, salesforceIdColumn: text_sfid }
`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'UNKNOWN_REFERENCE', path: 'objects.lead.fields[1].reference', line: 7 });
    expect(problems[0]?.message).toMatch(/did you mean "account"/);
  });

  it('reports a monday column mapped twice in one object, and the Salesforce Id column reused', () => {
    const problems = problemsOf(base('', '      - { salesforce: Phone, monday: email }\n      - { salesforce: Title, monday: text_sfid }\n'));
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['DUPLICATE_COLUMN', 'objects.lead.fields[1].monday'],
      ['DUPLICATE_COLUMN', 'objects.lead.fields[2].monday'],
    ]);
    expect(problems[0]?.message).toContain('already mapped by objects.lead.fields[0]');
    expect(problems[1]?.message).toContain('monday.salesforceIdColumn');
  });

  it('reports a Salesforce field mapped twice in one object', () => {
    const problems = problemsOf(base('', '      - { salesforce: Email, monday: text_email }\n'));
    expect(problems).toEqual([expect.objectContaining({ code: 'DUPLICATE_FIELD', path: 'objects.lead.fields[1].salesforce' })]);
  });

  it('reports two objects on the same board', () => {
    const problems = problemsOf(`${base('')}  contact:
    salesforce: Contact
    monday: { board: "1", salesforceIdColumn: text_sfid }
`);
    expect(problems).toEqual([expect.objectContaining({ code: 'DUPLICATE_BOARD', path: 'objects.contact.monday.board' })]);
  });

  it('reports a cron schedule that does not parse, with the parser reason', () => {
    const problems = problemsOf(base('    backfill: { schedule: "61 3 * * 0" }\n'));
    expect(problems).toEqual([expect.objectContaining({ code: 'BAD_CRON', path: 'objects.lead.backfill.schedule' })]);
    expect(problems[0]?.message).toMatch(/out of range/);
  });

  it('accepts a valid cron schedule', () => {
    expect(readMapping(base('    backfill: { schedule: "*/15 * * * *" }\n')).ok).toBe(true);
  });

  it('reports convert targets that are not object keys or are the wrong object', () => {
    const problems = problemsOf(`${base(`    convert:
      when: { column: status, in: [Qualified] }
      account: acct
      contact: lead
`)}`);
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['BAD_CONVERT', 'objects.lead.convert.account'],
      ['BAD_CONVERT', 'objects.lead.convert.contact'],
    ]);
    expect(problems[1]?.message).toContain('objects.lead syncs Lead, but a converted contact is a Contact');
  });

  it('reports a convert block on an object that is not a Lead', () => {
    const problems = problemsOf(`objects:
  account:
    salesforce: Account
    monday: { board: 2, salesforceIdColumn: sf }
    convert: { when: { column: s, equals: X }, account: account, contact: account }
`);
    expect(problems.map((p) => p.code)).toEqual(['BAD_CONVERT', 'BAD_CONVERT']);
    expect(problems[0]?.message).toMatch(/only Lead objects can be converted/);
  });

  it('reports a condition with no operator or two operators', () => {
    const problems = problemsOf(base(`    create:
      salesforce: { when: { column: status } }
      monday: { when: { column: status, in: [A], equals: B } }
`));
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['BAD_CONDITION', 'objects.lead.create.salesforce.when'],
      ['BAD_CONDITION', 'objects.lead.create.monday.when'],
    ]);
  });

  it('reports a values map that sends two Salesforce values to one label', () => {
    const problems = problemsOf(base('', '      - { salesforce: Status, monday: status, values: { Open: New, "Working - Contacted": New } }\n'));
    expect(problems).toEqual([expect.objectContaining({ code: 'AMBIGUOUS_VALUES', path: 'objects.lead.fields[1].values["Working - Contacted"]' })]);
  });

  it('reports a match field that is not mapped, and an unknown time zone', () => {
    const problems = problemsOf(`timeZone: Mars/Olympus\n${base('    match: [Email, Phone]\n')}`);
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['BAD_TIME_ZONE', 'timeZone'],
      ['BAD_MATCH', 'objects.lead.match[1]'],
    ]);
  });

  it('defaults match to Email for Leads when Email is mapped, and keeps values as strings', () => {
    const mapping = parseMapping(base('', '      - { salesforce: Rating, monday: status, values: { Hot: 1 } }\n'));
    expect(mapping.objects[0]?.match).toEqual(['Email']);
    expect(mapping.objects[0]?.fields[1]?.values).toEqual({ Hot: '1' });
  });
});

describe('loadMapping from disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mapping-load-'));

  it('reads YAML and JSON files by extension', () => {
    writeFileSync(join(dir, 'a.yaml'), VALID);
    writeFileSync(join(dir, 'a.json'), JSON.stringify(parseMappingAsJson()));
    expect(loadMapping(join(dir, 'a.yaml')).objects[0]?.fields).toHaveLength(4);
    expect(loadMapping(join(dir, 'a.json')).objects[0]?.fields).toHaveLength(4);
  });

  it('throws a MappingError naming a missing file', () => {
    const error = catchError(() => loadMapping(join(dir, 'missing.yaml')));
    expect(error).toBeInstanceOf(MappingError);
    expect((error as MappingError).problems[0]).toMatchObject({ code: 'FILE_UNREADABLE' });
    expect((error as MappingError).message).toContain('file not found');
  });

  it('throws a MappingError whose message lists every problem with file and line', () => {
    writeFileSync(join(dir, 'bad.yaml'), 'objects:\n  lead:\n    salesforce: Lead\n    monday: { board: x, salesforceIdColumn: s }\n    delete: nope\n');
    const error = catchError(() => loadMapping(join(dir, 'bad.yaml'))) as MappingError;
    expect(error.code).toBe('MAPPING_INVALID');
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain(`objects.lead.monday.board: must be a monday board id: digits only, e.g. "1234567890" (is "x") (${join(dir, 'bad.yaml')}:4:`);
    expect(error.message).toContain('objects.lead.delete: must be one of none, archive, delete');
  });
});

function parseMappingAsJson(): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('yaml') as typeof import('yaml');
  return parse(VALID);
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
