import fc from 'fast-check';
import { ConversionError } from '../../src/mapping/converters/conversion-error';
import { compatibleColumnTypes, converterFor, type ConverterOptions, type SalesforceFieldRef } from '../../src/mapping/converters/converter-registry';
import type { Converted, FieldConverter, MondayColumnRead, RecordLinks, UserDirectory } from '../../src/mapping/converters/converter.types';
import type { MondayColumnSchema, SalesforceFieldSchema } from '../../src/mapping/live-schema';

function sfField(name: string, type: string, extra: Partial<SalesforceFieldSchema> = {}): SalesforceFieldSchema {
  return {
    name, label: name, type, length: type === 'string' ? 255 : 0, nillable: true, createable: true, updateable: true,
    defaultedOnCreate: false, picklistValues: [], restrictedPicklist: false, externalId: false, referenceTo: [], relationshipName: null, ...extra,
  };
}
const column = (id: string, type: string, settings: MondayColumnSchema['settings'] = {}): MondayColumnSchema => ({ id, title: id, type, settings });
function conv(sf: SalesforceFieldRef, col: MondayColumnSchema, options: ConverterOptions = {}): FieldConverter {
  const choice = converterFor(sf, col, options);
  if (!choice.ok) throw new Error(choice.reason);
  return choice.converter;
}
const apiRead = (value: unknown, text: string | null = null): MondayColumnRead => ({ value: value === null ? null : JSON.stringify(value), text });

function expectInvalid(result: Converted<unknown>, code: ConversionError['code']): ConversionError {
  if (result.kind !== 'invalid') throw new Error(`expected ${code}, got ${JSON.stringify(result)}`);
  expect(result.error).toBeInstanceOf(ConversionError);
  expect(result.error.code).toBe(code);
  return result.error;
}

const noLinks: RecordLinks = { itemIdForRecord: () => undefined, recordIdForItem: () => undefined };
const linked: RecordLinks = { itemIdForRecord: () => '123', recordIdForItem: () => '001000000000001AAA' };
const oneUser: UserDirectory = {
  salesforceUserEmail: (id) => (id === '005000000000001AAA' ? 'ann@example.org' : undefined),
  salesforceUserIdByEmail: (email) => (email === 'ann@example.org' ? '005000000000001AAA' : undefined),
  mondayUserEmail: (id) => (id === '77' ? 'Ann@Example.org' : undefined),
  mondayUserIdByEmail: (email) => (email === 'ann@example.org' ? '77' : undefined),
};

describe('invalid values produce a typed ConversionError, never a wrong value', () => {
  const date = conv(sfField('CloseDate', 'date'), column('date4', 'date'));
  const dateTime = conv(sfField('Last_Contact__c', 'datetime'), column('date5', 'date'));

  it('names the field, the column, the value and a hint', () => {
    const error = expectInvalid(date.toMonday('2026-02-30'), 'INVALID_FORMAT');
    expect(error).toMatchObject({ field: 'CloseDate', column: 'date4', value: '2026-02-30' });
    expect(error.message).toBe('CloseDate <-> date4: "2026-02-30" is not a calendar date YYYY-MM-DD');
  });

  it('rejects dates that do not exist or are not YYYY-MM-DD', () => {
    for (const bad of ['2023-02-29', '15/06/2026', '2026-6-5', '2026-06-15T00:00:00Z']) expectInvalid(date.toMonday(bad), 'INVALID_FORMAT');
    expectInvalid(date.toMonday(20260615), 'INVALID_FORMAT');
    expectInvalid(date.fromMondayApi(apiRead({ date: '2026-13-01' })), 'UNREADABLE_VALUE');
  });

  it('any string that is not a real calendar date is rejected', () => {
    // independent oracle: JavaScript's own UTC parser must give back the same calendar date
    const oracle = (s: string) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || s < '0001') return false;
      const parsed = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(s);
    };
    fc.assert(fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/)), (s) => {
      fc.pre(s !== '' && !oracle(s));
      expectInvalid(date.toMonday(s), 'INVALID_FORMAT');
    }));
  });

  it('rejects a date-time without an offset: its instant would depend on the machine zone', () => {
    expectInvalid(dateTime.toMonday('2026-06-15T09:00:00'), 'INVALID_FORMAT');
    expectInvalid(dateTime.toMonday('2026-06-15T25:00:00Z'), 'INVALID_FORMAT');
  });

  it('rejects numbers monday cannot mean and fractions for whole-number fields', () => {
    const amount = conv(sfField('Amount', 'currency'), column('numbers', 'numbers'));
    const employees = conv(sfField('NumberOfEmployees', 'int'), column('numbers', 'numbers'));
    expectInvalid(amount.fromMondayApi(apiRead('1,234')), 'INVALID_FORMAT');
    expectInvalid(amount.toMonday(Number.POSITIVE_INFINITY), 'NOT_FINITE');
    expectInvalid(amount.toMonday('12'), 'WRONG_TYPE');
    expectInvalid(employees.fromMondayApi(apiRead('3.5')), 'NOT_AN_INTEGER');
    expectInvalid(employees.toMonday(3.5), 'NOT_AN_INTEGER');
    fc.assert(fc.property(fc.string(), (s) => {
      fc.pre(!/^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(s) && s.trim() !== '');
      expect(amount.fromMondayApi(apiRead(s)).kind).toBe('invalid');
    }));
  });

  it('rejects text longer than the target holds', () => {
    const description = conv(sfField('Description', 'textarea', { length: 32000 }), column('long_text', 'long_text'));
    expectInvalid(description.toMonday('x'.repeat(2001)), 'TOO_LONG');
    const title = conv(sfField('Title', 'string', { length: 10 }), column('text', 'text'));
    expect(expectInvalid(title.fromMondayApi(apiRead('Chief Executive', 'Chief Executive')), 'TOO_LONG').hint).toContain('Title holds 10');
  });

  it('rejects an empty value for a required field, with the fix', () => {
    const lastName = conv(sfField('LastName', 'string', { nillable: false }), column('text', 'text'));
    expect(expectInvalid(lastName.fromMondayApi(apiRead(null, '')), 'REQUIRED_VALUE').hint).toContain('LastName is required');
    const name = conv(sfField('Company', 'string'), column('name', 'name'));
    expectInvalid(name.toMonday('  '), 'REQUIRED_VALUE');
  });

  it('rejects e-mails, phones and links that are not', () => {
    expectInvalid(conv(sfField('Email', 'email'), column('email', 'email')).toMonday('not-an-email'), 'INVALID_FORMAT');
    expectInvalid(conv(sfField('Phone', 'phone'), column('phone', 'phone'), { phoneCountry: 'US' }).toMonday('call me'), 'INVALID_FORMAT');
    expectInvalid(conv(sfField('Website', 'url'), column('link', 'link')).toMonday('my site'), 'INVALID_FORMAT');
  });

  it('rejects several labels for a single-value picklist', () => {
    const industry = conv(sfField('Industry', 'picklist'), column('dropdown', 'dropdown', { dropdownLabels: [{ id: 1, label: 'A' }, { id: 2, label: 'B' }] }));
    expectInvalid(industry.fromMondayApi(apiRead({ ids: [1, 2] }, 'A, B')), 'MULTIPLE_VALUES');
    expectInvalid(industry.fromMondayWebhook({ chosenValues: [{ id: 1, name: 'A' }, { id: 2, name: 'B' }] }), 'MULTIPLE_VALUES');
  });

  it('rejects a status id the board settings do not know when no text says it', () => {
    const status = conv(sfField('Status', 'picklist'), column('status', 'status', { statusLabels: [{ id: 1, label: 'Done' }] }));
    expectInvalid(status.fromMondayApi(apiRead({ index: 9 }, null)), 'UNKNOWN_LABEL_ID');
    expect(status.fromMondayApi(apiRead({ index: 9 }, 'New label'))).toEqual({ kind: 'value', value: 'New label' });
  });

  it('refuses a numeric label the status column lacks: monday would read it as another label id', () => {
    const rating = conv(sfField('Priority__c', 'picklist'), column('status', 'status', { statusLabels: [{ id: 1, label: '1' }, { id: 2, label: 'High' }] }));
    expect(rating.toMonday('1')).toEqual({ kind: 'value', value: { index: 1 } });
    expectInvalid(rating.toMonday('2'), 'UNSUPPORTED_VALUE');
  });

  it('rejects half a timeline and a timeline that ends before it starts', () => {
    const timeline = conv([sfField('Start__c', 'date'), sfField('End__c', 'date')], column('timeline', 'timeline'));
    expectInvalid(timeline.toMonday(['2026-06-01', null]), 'INCOMPLETE_RANGE');
    expectInvalid(timeline.toMonday(['2026-06-07', '2026-06-03']), 'INVALID_RANGE');
  });

  it('rejects a country nobody knows', () => {
    expectInvalid(conv(sfField('Country', 'string'), column('country', 'country')).toMonday('Atlantis'), 'UNKNOWN_COUNTRY');
  });

  it('rejects a value JSON monday would never send', () => {
    expectInvalid(conv(sfField('Title', 'string'), column('text', 'text')).fromMondayApi({ value: '{not json', text: 'x' }), 'UNREADABLE_VALUE');
  });
});

describe('lookups: "not linked yet" and unknown users are outcomes, not errors', () => {
  const relation = conv(sfField('AccountId', 'reference', { referenceTo: ['Account'] }), column('rel', 'board_relation'), { reference: 'account' });
  const owner = conv(sfField('OwnerId', 'reference', { referenceTo: ['User'], nillable: false }), column('people', 'people'), { reference: 'user' });

  it('a record without an item, or an item without a record, is unresolved: not_linked', () => {
    expect(relation.toMonday('001000000000001', { links: noLinks })).toMatchObject({ kind: 'unresolved', reason: 'not_linked' });
    expect(relation.fromMondayApi({ value: null, text: null, linkedItemIds: ['55'] }, { links: noLinks })).toMatchObject({ kind: 'unresolved', reason: 'not_linked' });
    expect(relation.fromMondayWebhook({ linkedPulseIds: [{ linkedPulseId: 55 }] }, { links: noLinks })).toMatchObject({ kind: 'unresolved', reason: 'not_linked' });
  });

  it('links a 15-character id through its 18-character form', () => {
    expect(relation.toMonday('001000000000001', { links: linked })).toEqual({ kind: 'value', value: { item_ids: [123] } });
  });

  it('two linked items for one lookup is an error', () => {
    expectInvalid(relation.fromMondayApi({ value: null, text: null, linkedItemIds: ['1', '2'] }, { links: linked }), 'MULTIPLE_VALUES');
  });

  it('matches users by e-mail, case-insensitively, and reports unknown users', () => {
    expect(owner.toMonday('005000000000001AAA', { users: oneUser })).toEqual({ kind: 'value', value: { personsAndTeams: [{ id: 77, kind: 'person' }] } });
    expect(owner.fromMondayApi(apiRead({ personsAndTeams: [{ id: 77, kind: 'person' }] }), { users: oneUser })).toEqual({ kind: 'value', value: '005000000000001AAA' });
    expect(owner.toMonday('00G000000000001AAA', { users: oneUser })).toMatchObject({ kind: 'unresolved', reason: 'unknown_user' });
    expect(owner.fromMondayWebhook({ personsAndTeams: [{ id: 78, kind: 'person' }] }, { users: oneUser })).toMatchObject({ kind: 'unresolved', reason: 'unknown_user' });
  });

  it('several people, only teams, or nobody for a required owner are errors', () => {
    expectInvalid(owner.fromMondayApi(apiRead({ personsAndTeams: [{ id: 77, kind: 'person' }, { id: 78, kind: 'person' }] }), { users: oneUser }), 'MULTIPLE_VALUES');
    expectInvalid(owner.fromMondayApi(apiRead({ personsAndTeams: [{ id: 5, kind: 'team' }] }), { users: oneUser }), 'UNSUPPORTED_VALUE');
    expectInvalid(owner.fromMondayApi(apiRead(null), { users: oneUser }), 'REQUIRED_VALUE');
  });
});

describe('webhook values use monday internal shapes', () => {
  it('reads the status, text, date and relation shapes of reference 7.5', () => {
    const status = conv(sfField('StageName', 'picklist'), column('status', 'status'), { values: { 'Needs Analysis': 'Follow-up' } });
    expect(status.fromMondayWebhook({ label: { index: 0, text: 'Follow-up', style: {}, is_done: false }, post_id: null })).toEqual({ kind: 'value', value: 'Needs Analysis' });
    const title = conv(sfField('Title', 'string'), column('text', 'text'));
    expect(title.fromMondayWebhook({ value: 'Data Engineer' })).toEqual({ kind: 'value', value: 'Data Engineer' });
    const date = conv(sfField('CloseDate', 'date'), column('date', 'date'));
    expect(date.fromMondayWebhook({ date: '2025-02-05', icon: null, time: null, changed_at: '2025-02-05T16:28:02.630Z' })).toEqual({ kind: 'value', value: '2025-02-05' });
    expect(date.fromMondayWebhook(null)).toEqual({ kind: 'value', value: null });
  });

  it('an unknown webhook shape asks for an API read instead of guessing', () => {
    const amount = conv(sfField('Amount', 'currency'), column('numbers', 'numbers'));
    expect(amount.fromMondayWebhook({ something: [1] })).toMatchObject({ kind: 'unresolved', reason: 'needs_api_read' });
  });
});

describe('values maps and no-op detection', () => {
  const status = conv(sfField('Status', 'picklist'), column('status', 'status', { statusLabels: [{ id: 1, label: 'New' }] }), { values: { Open: 'New' } });

  it('a value with no entry in values passes through unchanged', () => {
    expect(status.toMonday('Nurture')).toEqual({ kind: 'value', value: { label: 'Nurture' } });
    expect(status.fromMondayApi(apiRead({ index: 4 }, 'Nurture'))).toEqual({ kind: 'value', value: 'Nurture' });
  });

  it('equals treats spellings of the same value as the same', () => {
    const multi = conv(sfField('Programs__c', 'multipicklist'), column('dropdown', 'dropdown'));
    expect(multi.equals('A;B', 'B;A')).toBe(true);
    expect(multi.equals('A;B', 'A')).toBe(false);
    const phone = conv(sfField('Phone', 'phone'), column('phone', 'phone'), { phoneCountry: 'US' });
    expect(phone.equals('(202) 555-0169', '2025550169')).toBe(true);
    const when = conv(sfField('Last_Contact__c', 'datetime'), column('date', 'date'));
    expect(when.equals('2026-06-15T09:00:00.250+0000', '2026-06-15T11:00:00+02:00')).toBe(true);
    expect(when.equals('2026-06-15T09:00:01.000+0000', '2026-06-15T09:00:00.000+0000')).toBe(false);
    const title = conv(sfField('Title', 'string'), column('text', 'text'));
    expect(title.equals(null, '')).toBe(true);
  });
});

describe('converterFor chooses by type pair or says why not', () => {
  it('explains a pair with no conversion and lists what the field fits', () => {
    const choice = converterFor(sfField('DoNotCall', 'boolean'), column('status_x', 'status'));
    expect(choice).toEqual({ ok: false, reason: 'no conversion between Salesforce boolean field DoNotCall and monday status column "status_x" (a boolean field fits: text, checkbox)' });
  });

  it('refuses column types crm-sync does not sync, and compound fields', () => {
    expect(converterFor(sfField('Name', 'string'), column('mirror', 'mirror'))).toMatchObject({ ok: false, reason: expect.stringContaining('does not sync mirror columns') });
    expect(converterFor(sfField('Address', 'address'), column('text', 'text'))).toMatchObject({ ok: false, reason: expect.stringContaining('does not sync address fields') });
  });

  it('needs the right reference for people and board relations', () => {
    expect(converterFor(sfField('OwnerId', 'reference', { referenceTo: ['User'] }), column('t', 'text'), { reference: 'user' })).toMatchObject({ ok: false, reason: expect.stringContaining('needs a people column') });
    expect(converterFor(sfField('AccountId', 'reference', { referenceTo: ['Account'] }), column('rel', 'board_relation'))).toMatchObject({ ok: false, reason: expect.stringContaining('`reference:`') });
    expect(converterFor(sfField('AccountId', 'reference', { referenceTo: ['Account'] }), column('p', 'people'))).toMatchObject({ ok: false });
  });

  it('takes a timeline only from two date fields', () => {
    expect(converterFor(sfField('Start__c', 'date'), column('timeline', 'timeline'))).toMatchObject({ ok: false, reason: expect.stringContaining('two date fields') });
    expect(converterFor([sfField('Start__c', 'date'), sfField('End__c', 'datetime')], column('timeline', 'timeline'))).toMatchObject({ ok: false });
    expect(converterFor([sfField('Start__c', 'date'), sfField('End__c', 'date')], column('date', 'date'))).toMatchObject({ ok: false });
  });

  it('lists the column types each field type fits', () => {
    expect(compatibleColumnTypes(sfField('Industry', 'picklist'))).toEqual(['text', 'long_text', 'name', 'status', 'dropdown', 'country']);
    expect(compatibleColumnTypes(sfField('OwnerId', 'reference', { referenceTo: ['User'] }))).toEqual(['text', 'people', 'board_relation']);
    expect(compatibleColumnTypes(sfField('CloseDate', 'date'))).toEqual(['text', 'date']);
  });
});
