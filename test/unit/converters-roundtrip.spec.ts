import fc from 'fast-check';
import { getCountries, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import phoneExampleNumbers from 'libphonenumber-js/mobile/examples';
import { converterFor, type ConverterOptions, type SalesforceFieldRef } from '../../src/mapping/converters/converter-registry';
import type { FieldConverter, MondayWriteValue, RecordLinks, SalesforceValue, UserDirectory } from '../../src/mapping/converters/converter.types';
import { allCountryCodes, countryName } from '../../src/mapping/converters/country-names';
import { readBackValue, webhookValueFor } from '../../src/mapping/converters/monday-value-shapes';
import { decimalText } from '../../src/mapping/converters/salesforce-scalar-codec';
import type { MondayColumnSchema, MondayLabel, SalesforceFieldSchema } from '../../src/mapping/live-schema';
import { to18 } from '../../src/mapping/salesforce-id';

// Salesforce -> monday (write format) -> monday read-back (API shape, and webhook shape) -> Salesforce
// is the identity on valid values; monday -> Salesforce -> monday gives the same write back.

function sfField(name: string, type: string, extra: Partial<SalesforceFieldSchema> = {}): SalesforceFieldSchema {
  return {
    name, label: name, type, length: ['string', 'picklist', 'email', 'phone', 'url'].includes(type) ? 255 : type === 'textarea' ? 131072 : type === 'multipicklist' ? 4099 : 0,
    nillable: true, createable: true, updateable: true, defaultedOnCreate: false, picklistValues: [],
    restrictedPicklist: false, externalId: false, referenceTo: [], relationshipName: null, ...extra,
  };
}

function column(id: string, type: string, settings: MondayColumnSchema['settings'] = {}): MondayColumnSchema {
  return { id, title: id, type, settings };
}

function isPair(sf: SalesforceFieldRef): sf is readonly [SalesforceFieldSchema, SalesforceFieldSchema] {
  return Array.isArray(sf);
}

function converter(sf: SalesforceFieldRef, col: MondayColumnSchema, options: ConverterOptions = {}): FieldConverter {
  const choice = converterFor(sf, col, options);
  if (!choice.ok) throw new Error(choice.reason);
  return choice.converter;
}

function written(result: ReturnType<FieldConverter['toMonday']>): MondayWriteValue {
  if (result.kind !== 'value') throw new Error(`expected a value, got ${JSON.stringify(result)}`);
  return result.value;
}

function read(result: ReturnType<FieldConverter['fromMondayApi']>): SalesforceValue {
  if (result.kind !== 'value') throw new Error(`expected a value, got ${result.kind === 'invalid' ? result.error.message : result.detail}`);
  return result.value;
}

// ---- fakes for the lookups ----
const salesforceId = (prefix: string) => fc.stringMatching(/^[A-Za-z0-9]{12}$/).map((tail) => to18(`${prefix}${tail}`));

class FakeLinks implements RecordLinks {
  readonly items = new Map<string, string>();
  readonly records = new Map<string, string>();
  link(recordId: string, itemId: string) {
    this.items.set(recordId, itemId);
    this.records.set(itemId, recordId);
  }
  itemIdForRecord(_key: string, id: string) { return this.items.get(id); }
  recordIdForItem(_key: string, itemId: string) { return this.records.get(itemId); }
}

class FakeUsers implements UserDirectory {
  constructor(private readonly people: { sf: string; monday: string; email: string }[]) {}
  salesforceUserEmail(id: string) { return this.people.find((p) => p.sf === id)?.email; }
  salesforceUserIdByEmail(email: string) { return this.people.find((p) => p.email.toLowerCase() === email)?.sf; }
  mondayUserEmail(id: string) { return this.people.find((p) => p.monday === id)?.email; }
  mondayUserIdByEmail(email: string) { return this.people.find((p) => p.email.toLowerCase() === email)?.monday; }
}

interface RoundTripCase {
  readonly name: string;
  readonly sf: SalesforceFieldRef;
  readonly column: MondayColumnSchema;
  readonly options?: ConverterOptions;
  /** Valid Salesforce values in canonical form (identity holds exactly). */
  readonly salesforceValues: fc.Arbitrary<SalesforceValue>;
  /** Valid values that come back equal (per `equals`), not identical. */
  readonly equivalentValues?: fc.Arbitrary<SalesforceValue>;
  /** Valid monday write values in canonical form. */
  readonly mondayValues?: fc.Arbitrary<MondayWriteValue>;
  readonly context?: Parameters<FieldConverter['toMonday']>[1];
}

const dateOnly = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const instant = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true });
const wholeSeconds = instant.map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
const sfDateTime = (d: Date) => d.toISOString().replace('Z', '+0000');
const withOffset = fc.tuple(instant, fc.integer({ min: -12 * 60, max: 14 * 60 })).map(([d, offset]) => {
  const local = new Date(d.getTime() + offset * 60_000).toISOString().slice(0, 23);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
});
// Salesforce stores strings trimmed and never "" (interface.md section 5): canonical values are so.
const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }).map((t) => t.trim()).filter((t) => t !== '');
const longText = fc.string({ minLength: 1, maxLength: 2000 }).map((t) => t.trim()).filter((t) => t !== '');
// Valid numbers of every country libphonenumber knows, as E.164 with their country.
const phoneExamples = getCountries().flatMap((country) => {
  const example = getExampleNumber(country, phoneExampleNumbers);
  // (Countries sharing a calling code, such as BL and GP on +590, read back as the code's main country.)
  return example?.isValid() && parsePhoneNumberFromString(example.number)?.country === country ? [{ e164: example.number as string, country: country as string }] : [];
});
const phones = fc.constantFrom(...phoneExamples);
const usPhones = fc.tuple(fc.constantFrom('202', '212', '305', '312', '415', '617', '646', '718'), fc.integer({ min: 200, max: 999 }), fc.integer({ min: 0, max: 9999 }))
  .map(([area, exchange, line]) => ({ e164: `+1${area}${exchange}${String(line).padStart(4, '0')}`, area, exchange: String(exchange), line: String(line).padStart(4, '0') }))
  .filter((p) => parsePhoneNumberFromString(p.e164)?.isValid() === true);
const noNegativeZero = (n: number) => (Object.is(n, -0) ? 0 : n);

// Picklist values: words and numeric-looking labels (monday reads those as ids, so they are written by index).
const picklistValues = fc.uniqueArray(fc.oneof(fc.stringMatching(/^[A-Z][a-z]{1,8}( [A-Za-z]{1,6})?$/), fc.stringMatching(/^[1-9][0-9]{0,2}$/)), { minLength: 1, maxLength: 8 });
const PICKLIST = ['Open', 'Working', 'Qualified', '10', 'Closed - Converted', 'Nurture'];
const VALUES = { Open: 'New', Working: 'Follow-up', 'Closed - Converted': 'MOU' };
const STATUS_LABELS: MondayLabel[] = ['New', 'Follow-up', 'Qualified', '10', 'MOU', 'Nurture', 'Stuck'].map((label, i) => ({ id: [0, 1, 2, 3, 4, 6, 7][i]!, label }));
const DROPDOWN_LABELS: MondayLabel[] = ['Education', 'Health', 'Youth', 'Arts', 'Environment', '7'].map((label, i) => ({ id: i + 1, label }));

const links = new FakeLinks();
const linkedAccounts = Array.from({ length: 20 }, (_, i) => to18(`001000000000${String(i).padStart(3, '0')}`));
linkedAccounts.forEach((id, i) => links.link(id, String(8_400_000_000 + i)));
const people = Array.from({ length: 10 }, (_, i) => ({ sf: to18(`005000000000${String(i).padStart(3, '0')}`), monday: String(40_000_000 + i), email: `Person${i}@Example.org` }));
const users = new FakeUsers(people);

const cases: RoundTripCase[] = [
  { name: 'string <-> text', sf: sfField('Title', 'string', { length: 100_000 }), column: column('text_title', 'text'), salesforceValues: text, mondayValues: text },
  { name: 'textarea <-> long_text', sf: sfField('Description', 'textarea'), column: column('long_text', 'long_text'), salesforceValues: longText, mondayValues: longText.map((t) => ({ text: t })) },
  { name: 'string <-> item name', sf: sfField('Company', 'string'), column: column('name', 'name'), salesforceValues: text.filter((t) => t.trim() !== '' && t.length <= 255) },
  { name: 'email <-> email', sf: sfField('Email', 'email', { length: 100_000 }), column: column('email', 'email'), salesforceValues: fc.emailAddress(), mondayValues: fc.emailAddress().map((e) => ({ email: e, text: e })) },
  {
    name: 'phone <-> phone', sf: sfField('Phone', 'phone'), column: column('phone', 'phone'), options: { phoneCountry: 'US' },
    salesforceValues: fc.oneof(phones, usPhones).map((p) => p.e164),
    // National US spellings (read in the field's country), "00" for "+", and any country's national number with its +prefix.
    equivalentValues: fc.oneof(
      usPhones.map((p) => `(${p.area}) ${p.exchange}-${p.line}`),
      usPhones.map((p) => `  ${p.area}.${p.exchange}.${p.line} `),
      phones.map((p) => `00${p.e164.slice(1)}`),
    ),
    mondayValues: phones.map((p) => ({ phone: p.e164, countryShortName: p.country })),
  },
  { name: 'url <-> link', sf: sfField('Website', 'url', { length: 100_000 }), column: column('link', 'link'), salesforceValues: fc.webUrl(), mondayValues: fc.webUrl().map((u) => ({ url: u, text: u })) },
  { name: 'double <-> numbers', sf: sfField('Score__c', 'double'), column: column('numbers', 'numbers'), salesforceValues: fc.double({ noNaN: true, noDefaultInfinity: true }).map(noNegativeZero), mondayValues: fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => decimalText(noNegativeZero(n))) },
  { name: 'currency <-> numbers', sf: sfField('Amount', 'currency'), column: column('numbers', 'numbers'), salesforceValues: fc.integer({ min: -1e9, max: 1e9 }).map((c) => c / 100) },
  { name: 'percent <-> numbers', sf: sfField('Probability', 'percent'), column: column('numbers', 'numbers'), salesforceValues: fc.integer({ min: 0, max: 10000 }).map((c) => c / 100) },
  { name: 'int <-> numbers', sf: sfField('NumberOfEmployees', 'int'), column: column('numbers', 'numbers'), salesforceValues: fc.integer(), mondayValues: fc.integer().map(String) },
  { name: 'boolean <-> checkbox', sf: sfField('DoNotCall', 'boolean', { nillable: false }), column: column('checkbox', 'checkbox'), salesforceValues: fc.boolean(), mondayValues: fc.constant({ checked: 'true' }) },
  {
    name: 'picklist <-> status (through values)', sf: sfField('Status', 'picklist'), column: column('status', 'status', { statusLabels: STATUS_LABELS }), options: { values: VALUES },
    salesforceValues: fc.constantFrom(...PICKLIST),
    mondayValues: fc.constantFrom(...STATUS_LABELS).map((l): MondayWriteValue => (/^\d+$/.test(l.label) ? { index: l.id } : { label: l.label })),
  },
  {
    name: 'picklist <-> dropdown', sf: sfField('Industry', 'picklist'), column: column('dropdown', 'dropdown', { dropdownLabels: DROPDOWN_LABELS }), options: { values: { Healthcare: 'Health' } },
    salesforceValues: fc.constantFrom('Education', 'Healthcare', 'Youth', '7'),
    mondayValues: fc.constantFrom(...DROPDOWN_LABELS).map((l) => ({ labels: [l.label] })),
  },
  {
    name: 'multipicklist <-> dropdown', sf: sfField('Focus_Areas__c', 'multipicklist'), column: column('dropdown', 'dropdown', { dropdownLabels: DROPDOWN_LABELS }), options: { values: { Healthcare: 'Health' } },
    salesforceValues: fc.shuffledSubarray(['Education', 'Healthcare', 'Youth', 'Arts', '7'], { minLength: 1 }).map((v) => v.join(';')),
    mondayValues: fc.shuffledSubarray(DROPDOWN_LABELS.map((l) => l.label), { minLength: 1 }).map((labels) => ({ labels })),
  },
  { name: 'date <-> date', sf: sfField('CloseDate', 'date'), column: column('date', 'date'), salesforceValues: dateOnly, mondayValues: dateOnly.map((date) => ({ date })) },
  {
    name: 'datetime <-> date with time', sf: sfField('Last_Contact__c', 'datetime'), column: column('date', 'date'),
    salesforceValues: wholeSeconds.map(sfDateTime),
    equivalentValues: fc.oneof(instant.map(sfDateTime), withOffset),
    mondayValues: wholeSeconds.map((d) => ({ date: d.toISOString().slice(0, 10), time: d.toISOString().slice(11, 19) })),
  },
  {
    name: '[date, date] <-> timeline', sf: [sfField('Start__c', 'date'), sfField('End__c', 'date')], column: column('timeline', 'timeline'),
    salesforceValues: fc.oneof(fc.constant([null, null] as const), fc.tuple(dateOnly, dateOnly).map(([a, b]) => (a <= b ? [a, b] as const : [b, a] as const))),
    mondayValues: fc.tuple(dateOnly, dateOnly).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a })),
  },
  {
    name: 'reference <-> board_relation', sf: sfField('AccountId', 'reference', { referenceTo: ['Account'] }), column: column('board_relation', 'board_relation'), options: { reference: 'account' },
    salesforceValues: fc.constantFrom(...linkedAccounts), context: { links },
    mondayValues: fc.constantFrom(...linkedAccounts.map((id) => ({ item_ids: [Number(links.items.get(id))] }))),
  },
  {
    name: 'OwnerId <-> people', sf: sfField('OwnerId', 'reference', { referenceTo: ['Group', 'User'], nillable: false }), column: column('people', 'people'), options: { reference: 'user' },
    salesforceValues: fc.constantFrom(...people.map((p) => p.sf)), context: { users },
    equivalentValues: fc.constantFrom(...people.map((p) => p.sf.slice(0, 15))),
    mondayValues: fc.constantFrom(...people.map((p) => ({ personsAndTeams: [{ id: Number(p.monday), kind: 'person' }] }))),
  },
  {
    name: 'country name <-> country', sf: sfField('Country', 'string', { length: 80 }), column: column('country', 'country'),
    salesforceValues: fc.constantFrom(...allCountryCodes()).map((c) => countryName(c)!),
    mondayValues: fc.constantFrom(...allCountryCodes()).map((c) => ({ countryCode: c, countryName: countryName(c)! })),
  },
  { name: 'CountryCode <-> country', sf: sfField('CountryCode', 'picklist'), column: column('country', 'country'), salesforceValues: fc.constantFrom(...allCountryCodes()), equivalentValues: fc.constantFrom('usa', 'United States of America', 'germany', "Cote d'Ivoire", 'gb') },
  { name: 'double as text', sf: sfField('Amount', 'double'), column: column('text', 'text'), salesforceValues: fc.double({ noNaN: true, noDefaultInfinity: true }).map(noNegativeZero) },
  { name: 'date as text', sf: sfField('CloseDate', 'date'), column: column('text', 'text'), salesforceValues: dateOnly },
  { name: 'datetime as text', sf: sfField('CreatedDate', 'datetime'), column: column('text', 'text'), salesforceValues: instant.map(sfDateTime), equivalentValues: withOffset },
  { name: 'boolean as text', sf: sfField('IsConverted', 'boolean'), column: column('text', 'text'), salesforceValues: fc.boolean() },
  { name: 'id as text', sf: sfField('ConvertedAccountId', 'reference', { referenceTo: ['Account'] }), column: column('text', 'text'), salesforceValues: salesforceId('001'), equivalentValues: salesforceId('001').map((id) => id.slice(0, 15)) },
  {
    name: 'picklist as text (through values)', sf: sfField('LeadSource', 'picklist'), column: column('text', 'text'), options: { values: { Web: 'Website form' } },
    salesforceValues: fc.constantFrom('Web', 'Referral', 'Event'),
  },
  {
    name: 'multipicklist as long text', sf: sfField('Programs__c', 'multipicklist'), column: column('long_text', 'long_text'), options: { values: { Arts: 'Arts & Culture' } },
    salesforceValues: fc.shuffledSubarray(['Arts', 'Youth', 'STEM'], { minLength: 1 }).map((v) => v.join(';')),
  },
];

describe.each(cases)('$name', (c) => {
  const conv = converter(c.sf, c.column, c.options);

  it('Salesforce -> monday -> Salesforce is the identity (API read and webhook)', () => {
    fc.assert(
      fc.property(c.salesforceValues, (v) => {
        const w = written(conv.toMonday(v, c.context));
        expect(read(conv.fromMondayApi(readBackValue(c.column, w), c.context))).toEqual(v);
        expect(read(conv.fromMondayWebhook(webhookValueFor(c.column, w), c.context))).toEqual(v);
        expect(conv.equals(v, v)).toBe(true);
      }),
    );
  });

  it('an empty value clears the column and reads back empty', () => {
    const empty: SalesforceValue = isPair(c.sf) ? [null, null] : c.sf.type === 'boolean' ? false : null;
    if (c.column.type === 'name') return; // an item always has a name
    const w = written(conv.toMonday(empty, c.context));
    // a boolean is never empty in Salesforce: false shows as "false" in a text column, as unchecked in a checkbox
    if (empty === false && c.column.type === 'text') expect(w).toBe('false');
    else expect(w).toBeNull();
    const back = conv.fromMondayApi(readBackValue(c.column, w), c.context);
    if (back.kind === 'invalid') expect(back.error.code).toBe('REQUIRED_VALUE');
    else expect(read(back)).toEqual(empty);
  });

  if (c.equivalentValues) {
    it('other spellings of a value come back equal, so no write ping-pongs', () => {
      fc.assert(
        fc.property(c.equivalentValues!, (v) => {
          const w = written(conv.toMonday(v, c.context));
          const back = read(conv.fromMondayApi(readBackValue(c.column, w), c.context));
          expect(conv.equals(back, v)).toBe(true);
          expect(written(conv.toMonday(back, c.context))).toEqual(w);
        }),
      );
    });
  }

  if (c.mondayValues) {
    it('monday -> Salesforce -> monday gives the same write value', () => {
      fc.assert(
        fc.property(c.mondayValues!, (w) => {
          const sf = read(conv.fromMondayApi(readBackValue(c.column, w), c.context));
          expect(written(conv.toMonday(sf, c.context))).toEqual(w);
          expect(read(conv.fromMondayWebhook(webhookValueFor(c.column, w), c.context))).toEqual(sf);
        }),
      );
    });
  }
});

describe('generated picklists through status', () => {
  it('any picklist with a values map round-trips, numeric labels written by index', () => {
    fc.assert(
      fc.property(picklistValues, fc.infiniteStream(fc.boolean()), (values, mapIt) => {
        const it = mapIt[Symbol.iterator]();
        const map = Object.fromEntries(values.filter(() => it.next().value).map((v) => [v, `Label ${v}`]));
        const labels = values.map((v, i) => ({ id: i * 3 + 1, label: map[v] ?? v }));
        const col = column('status', 'status', { statusLabels: labels });
        const conv = converter(sfField('Stage', 'picklist'), col, { values: map });
        for (const v of values) {
          const w = written(conv.toMonday(v));
          if (/^\d+$/.test(map[v] ?? v)) expect(w).toEqual({ index: labels.find((l) => l.label === v)!.id });
          expect(read(conv.fromMondayApi(readBackValue(col, w)))).toBe(v);
        }
      }),
    );
  });
});
