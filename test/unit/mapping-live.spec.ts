import { parseMapping } from '../../src/mapping/load-mapping';
import type { LiveSchemas, MondayColumnSchema, SalesforceFieldSchema } from '../../src/mapping/live-schema';
import { formatProblem, type MappingProblem } from '../../src/mapping/mapping-problem';
import { validateAgainstLive } from '../../src/mapping/validate-against-live';

function sf(name: string, type: string, extra: Partial<SalesforceFieldSchema> = {}): SalesforceFieldSchema {
  return {
    name, label: name, type, length: type === 'string' ? 255 : 0, nillable: true, createable: true, updateable: true,
    defaultedOnCreate: false, picklistValues: [], restrictedPicklist: false, externalId: false, referenceTo: [], relationshipName: null, ...extra,
  };
}
const col = (id: string, type: string, settings: MondayColumnSchema['settings'] = {}): MondayColumnSchema => ({ id, title: id.replace(/_/g, ' '), type, settings });
const picklist = (...values: string[]) => values.map((value) => ({ value, active: true }));

const LIVE: LiveSchemas = {
  mondayBoards: [
    {
      id: '123', name: 'Accounts', groups: [{ id: 'topics', title: 'Active' }],
      columns: [
        col('name', 'name'), col('text_sfid', 'text'), col('status_industry', 'status', { statusLabels: [{ id: 0, label: 'Tech' }, { id: 1, label: 'Health' }] }),
        col('phone_main', 'phone'), { ...col('people_owner', 'people'), title: 'Owner' }, col('board_relation_parent', 'board_relation', { boardIds: ['999'] }),
        col('checkbox', 'checkbox'), col('text_created', 'text'), col('dropdown', 'dropdown', { dropdownLabels: [{ id: 1, label: 'A' }] }),
        col('status_sfid', 'status'),
      ],
    },
    { id: '456', name: 'Contacts', groups: [], columns: [col('name', 'name'), col('text_sfid', 'text'), col('rel_account', 'board_relation', { boardIds: ['123'] })] },
  ],
  salesforceObjects: [
    {
      name: 'Account',
      fields: [
        sf('Id', 'id', { updateable: false, createable: false, nillable: false, defaultedOnCreate: true }),
        sf('Name', 'string', { nillable: false }),
        sf('Industry', 'picklist', { picklistValues: [...picklist('Technology', 'Healthcare'), { value: 'Retired', active: false }], restrictedPicklist: true }),
        sf('Rating', 'picklist', { picklistValues: picklist('Hot', 'Warm') }),
        sf('Phone', 'phone'),
        sf('DoNotCall', 'boolean', { nillable: false, defaultedOnCreate: true }),
        sf('OwnerId', 'reference', { referenceTo: ['User'], nillable: false, defaultedOnCreate: true }),
        sf('ParentId', 'reference', { referenceTo: ['Account'] }),
        sf('CreatedDate', 'datetime', { updateable: false, createable: false, nillable: false, defaultedOnCreate: true }),
        sf('Legacy_Code__c', 'string', { nillable: false }),
      ],
    },
    {
      name: 'Contact',
      fields: [
        sf('Name', 'string', { updateable: false, createable: false }),
        sf('LastName', 'string', { nillable: false }),
        sf('AccountId', 'reference', { referenceTo: ['Account'] }),
      ],
    },
  ],
  mondayAccount: { countryCode: 'US' },
};

const ACCOUNT = (fields: string, extra = '') => `objects:
  account:
    salesforce: Account
    monday: { board: "123", salesforceIdColumn: text_sfid }
    create: { salesforce: false }
${extra}${fields === '' ? '' : `    fields:\n${fields}`}`;

function check(text: string): MappingProblem[] {
  return validateAgainstLive(parseMapping(text, { file: 'crm-sync.yaml' }), LIVE);
}

describe('validation against the live schemas', () => {
  it('accepts a mapping that fits the board and the object', () => {
    expect(check(ACCOUNT('      - { salesforce: Industry, monday: status_industry, values: { Technology: Tech, Healthcare: Health } }\n      - { salesforce: Phone, monday: phone_main }\n'))).toEqual([]);
  });

  it('reports an unknown column in the interface.md format, listing the columns the board has', () => {
    const problems = check(ACCOUNT('      - { salesforce: Phone, monday: phone_main }\n      - { salesforce: Industry, monday: status_x }\n'));
    expect(problems).toHaveLength(1);
    expect(formatProblem(problems[0]!)).toBe(
      'objects.account.fields[1].monday: column "status_x" does not exist on board 123 (has: name, text_sfid, status_industry, phone_main, people_owner, board_relation_parent, checkbox, text_created, dropdown, status_sfid) (line 8:33)',
    );
  });

  it('says so when a column title was used instead of its id', () => {
    const [problem] = check(ACCOUNT('      - { salesforce: OwnerId, monday: Owner, reference: user }\n'));
    expect(problem?.message).toContain('that is the title of column "people_owner": use the id');
  });

  it('reports an unknown board and an unknown Salesforce object', () => {
    const problems = check(`objects:
  grant:
    salesforce: Grant_c
    monday: { board: 777, salesforceIdColumn: text_sfid }
`);
    expect(problems.map((p) => [p.code, p.path, p.line])).toEqual([
      ['UNKNOWN_OBJECT', 'objects.grant.salesforce', 3],
      ['UNKNOWN_BOARD', 'objects.grant.monday.board', 4],
    ]);
    expect(problems[1]?.message).toBe('board 777 does not exist or is not shared with the integration user');
  });

  it('reports an unknown field with close names', () => {
    const [problem] = check(ACCOUNT('      - { salesforce: Industy, monday: status_industry }\n'));
    expect(problem).toMatchObject({ code: 'UNKNOWN_FIELD', path: 'objects.account.fields[0].salesforce' });
    expect(problem?.message).toContain('did you mean Industry?');
  });

  it('reports the Salesforce Id column when missing or not a text column, and an unknown group', () => {
    const problems = check(`objects:
  account:
    salesforce: Account
    monday: { board: "123", salesforceIdColumn: status_sfid, group: closed }
    create: { salesforce: false }
`);
    expect(problems.map((p) => p.code)).toEqual(['BAD_ID_COLUMN', 'UNKNOWN_GROUP']);
    expect(problems[1]?.message).toBe('group "closed" does not exist on board 123 (has: topics)');
    const missing = check(ACCOUNT('').replace('text_sfid', 'text_salesforce'));
    expect(missing[0]?.message).toContain('`crm-sync init` creates it');
  });

  it('reports a type pair with no conversion', () => {
    const [problem] = check(ACCOUNT('      - { salesforce: DoNotCall, monday: status_industry }\n'));
    expect(problem).toMatchObject({ code: 'NO_CONVERSION', path: 'objects.account.fields[0]' });
    expect(problem?.message).toContain('no conversion between Salesforce boolean field DoNotCall and monday status column "status_industry"');
  });

  it('reports a values entry that the restricted picklist does not have (error) or that is inactive (warning)', () => {
    const problems = check(ACCOUNT('      - { salesforce: Industry, monday: status_industry, values: { Technolgy: Tech, Retired: Health } }\n'));
    expect(problems.map((p) => [p.code, p.severity, p.path])).toEqual([
      ['BAD_PICKLIST_VALUE', 'error', 'objects.account.fields[0].values.Technolgy'],
      ['BAD_PICKLIST_VALUE', 'warning', 'objects.account.fields[0].values.Retired'],
    ]);
    expect(problems[0]?.message).toBe('"Technolgy" is not a value of restricted picklist Account.Industry (has: Technology, Healthcare); Salesforce would reject it');
  });

  it('only warns about a value missing from an unrestricted picklist, and about labels missing on the column', () => {
    const problems = check(ACCOUNT('      - { salesforce: Rating, monday: dropdown, values: { Cold: Frozen, Hot: A } }\n'));
    expect(problems.map((p) => [p.code, p.severity])).toEqual([
      ['BAD_PICKLIST_VALUE', 'warning'],
      ['UNKNOWN_LABEL', 'warning'],
    ]);
    expect(problems[1]?.message).toContain('set createLabelsIfMissing: true');
    const allowed = check(ACCOUNT('      - { salesforce: Rating, monday: dropdown, createLabelsIfMissing: true, values: { Warm: Tepid } }\n'));
    expect(allowed).toEqual([]);
  });

  it('warns when a label is also a picklist value that passes through unchanged', () => {
    const problems = check(ACCOUNT('      - { salesforce: Rating, monday: dropdown, createLabelsIfMissing: true, values: { Hot: Warm } }\n'));
    expect(problems).toEqual([expect.objectContaining({ code: 'AMBIGUOUS_VALUES', severity: 'warning' })]);
  });

  it('reports a field the integration user cannot update listed with authority monday or both', () => {
    const problems = check(ACCOUNT('      - { salesforce: CreatedDate, monday: text_created }\n'));
    expect(problems).toEqual([expect.objectContaining({ code: 'NOT_UPDATEABLE', path: 'objects.account.fields[0].authority', line: 7 })]);
    expect(problems[0]?.message).toContain('set authority: salesforce');
    expect(check(ACCOUNT('      - { salesforce: CreatedDate, monday: text_created, authority: salesforce }\n'))).toEqual([]);
  });

  it('gives a notice that the name is one-way when the name field is not updateable', () => {
    const problems = check(`objects:
  contact:
    salesforce: Contact
    monday: { board: "456", salesforceIdColumn: text_sfid }
    name: Name
    create: { salesforce: false }
`);
    expect(problems).toEqual([expect.objectContaining({ code: 'NAME_ONE_WAY', severity: 'notice', path: 'objects.contact.name', line: 5 })]);
  });

  it('checks references: user lookups, the linked board, and the object pointed to', () => {
    const text = `objects:
  account:
    salesforce: Account
    monday: { board: "123", salesforceIdColumn: text_sfid }
    create: { salesforce: false }
    fields:
      - { salesforce: ParentId, monday: board_relation_parent, reference: account }
      - { salesforce: Phone, monday: people_owner, reference: user }
  contact:
    salesforce: Contact
    monday: { board: "456", salesforceIdColumn: text_sfid }
    name: LastName
    fields:
      - { salesforce: AccountId, monday: rel_account }
`;
    const problems = check(text);
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['BAD_REFERENCE', 'objects.account.fields[0].reference'],
      ['NO_CONVERSION', 'objects.account.fields[1]'],
      ['BAD_REFERENCE', 'objects.account.fields[1].reference'],
    ]);
    expect(problems[0]?.message).toContain('links board 999, not board 123 of objects.account');
    expect(problems[2]?.message).toContain('is not a lookup to User');
  });

  it('infers the object of a board relation from the lookup when one object fits', () => {
    const text = `objects:
  account:
    salesforce: Account
    monday: { board: "123", salesforceIdColumn: text_sfid }
    create: { salesforce: false }
  contact:
    salesforce: Contact
    monday: { board: "456", salesforceIdColumn: text_sfid }
    name: LastName
    fields:
      - { salesforce: AccountId, monday: rel_account }
`;
    expect(check(text)).toEqual([]);
  });

  it('warns when creating records from monday would miss a required field', () => {
    const problems = check(ACCOUNT('      - { salesforce: Phone, monday: phone_main }\n').replace('    create: { salesforce: false }\n', ''));
    expect(problems).toEqual([expect.objectContaining({ code: 'REQUIRED_FIELD_UNMAPPED', severity: 'warning', path: 'objects.account.create.salesforce' })]);
    expect(problems[0]?.message).toContain('Legacy_Code__c');
  });

  it('checks the columns and labels of conditions, and the match fields', () => {
    const problems = check(`objects:
  account:
    salesforce: Account
    monday: { board: "123", salesforceIdColumn: text_sfid }
    create:
      salesforce: false
      monday: { when: { column: status_industry, in: [Techh] } }
    delete: { }
`.replace('    delete: { }\n', `    fields:
      - { salesforce: Phone, monday: phone_main }
    match: [Phone]
  other:
    salesforce: Account
    monday: { board: "456", salesforceIdColumn: text_sfid }
    create: { salesforce: { when: { column: status_y, equals: X } } }
    name: Legacy_Code__c
`));
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['UNKNOWN_LABEL', 'objects.account.create.monday.when'],
      ['REQUIRED_FIELD_UNMAPPED', 'objects.other.create.salesforce'],
      ['UNKNOWN_COLUMN', 'objects.other.create.salesforce.when.column'],
    ]);
    expect(problems[0]?.message).toBe('label "Techh" is not on status column "status_industry" (has: Tech, Health), so this condition never matches it');
  });

  it('reports every problem of a file at once, in file order, each with its line', () => {
    const problems = check(ACCOUNT(`      - { salesforce: Industy, monday: status_industry }
      - { salesforce: Phone, monday: phone_x }
      - { salesforce: CreatedDate, monday: text_created }
      - { salesforce: DoNotCall, monday: status_industry2 }
`));
    expect(problems.map((p) => `${p.line} ${p.path}`)).toEqual([
      '7 objects.account.fields[0].salesforce',
      '8 objects.account.fields[1].monday',
      '9 objects.account.fields[2].authority',
      '10 objects.account.fields[3].monday',
    ]);
  });
});

describe('values that cannot be written safely (crm-sync check)', () => {
  const PHONE = '      - { salesforce: Phone, monday: phone_main }\n';
  const noAccountCountry: LiveSchemas = { ...LIVE, mondayAccount: { countryCode: null } };
  const codes = (text: string, live: LiveSchemas = LIVE) => validateAgainstLive(parseMapping(text, { file: 'crm-sync.yaml' }), live).map((p) => p.code);

  it('a phone column with no country for national numbers: no phoneCountry, no defaults.phoneCountry, monday account without one', () => {
    const problems = validateAgainstLive(parseMapping(ACCOUNT(PHONE), { file: 'crm-sync.yaml' }), noAccountCountry);
    expect(problems).toEqual([expect.objectContaining({ code: 'NO_PHONE_COUNTRY', severity: 'warning', path: 'objects.account.fields[0]' })]);
    expect(problems[0]!.message).toContain('set one of them (e.g. phoneCountry: US)');
    // also when the account was never read (an older cached context)
    expect(codes(ACCOUNT(PHONE), { mondayBoards: LIVE.mondayBoards, salesforceObjects: LIVE.salesforceObjects })).toEqual(['NO_PHONE_COUNTRY']);
  });

  it('any one of the field, the defaults or the monday account gives the country', () => {
    expect(codes(ACCOUNT('      - { salesforce: Phone, monday: phone_main, phoneCountry: DE }\n'), noAccountCountry)).toEqual([]);
    expect(codes(`defaults: { phoneCountry: GB }\n${ACCOUNT(PHONE)}`, noAccountCountry)).toEqual([]);
    expect(codes(ACCOUNT(PHONE))).toEqual([]);
    // a field monday alone writes never sends numbers to monday
    expect(codes(ACCOUNT('      - { salesforce: Phone, monday: phone_main, authority: monday }\n'), noAccountCountry)).toEqual([]);
  });

  it('a monday label a restricted picklist has no value for, and no values entry maps to', () => {
    const problems = validateAgainstLive(parseMapping(ACCOUNT('      - { salesforce: Industry, monday: status_industry, values: { Technology: Tech } }\n'), { file: 'crm-sync.yaml' }), LIVE);
    expect(problems).toEqual([expect.objectContaining({ code: 'UNWRITABLE_LABEL', severity: 'warning', path: 'objects.account.fields[0].values' })]);
    expect(problems[0]!.message).toContain('label "Health" of status column "status_industry" is not a value of restricted picklist Account.Industry');
    // a label equal to a picklist value passes through; one-way from Salesforce never writes labels back
    expect(codes(ACCOUNT('      - { salesforce: Industry, monday: status_industry, values: { Technology: Tech, Healthcare: Health } }\n'))).toEqual([]);
    expect(codes(ACCOUNT('      - { salesforce: Industry, monday: status_industry, authority: salesforce, values: { Technology: Tech } }\n'))).toEqual([]);
  });
});
