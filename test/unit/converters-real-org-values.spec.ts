import fc from 'fast-check';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { ConversionError } from '../../src/mapping/converters/conversion-error';
import { converterFor, converterForField, type ConverterOptions } from '../../src/mapping/converters/converter-registry';
import type { Converted, FieldConverter, MondayColumnRead } from '../../src/mapping/converters/converter.types';
import type { MondayColumnSchema, SalesforceFieldSchema } from '../../src/mapping/live-schema';
import type { FieldMapping } from '../../src/mapping/mapping.types';
import { readMapping } from '../../src/mapping/load-mapping';
import { phoneCountryFor } from '../../src/mapping/phone-country';
import { salesforceFieldValues } from '../../src/sync-projector/command-builders';
import type { ResolvedField } from '../../src/mapping/resolved-mapping';
import { observe } from '../../src/sync-projector/state/field-state';
import { newRecord } from '../../src/sync-projector/sync-record';

// Values as real orgs hold them (interface.md section 5, "Values from real orgs").

function sfField(name: string, type: string, extra: Partial<SalesforceFieldSchema> = {}): SalesforceFieldSchema {
  return {
    name, label: name, type, length: 255, nillable: true, createable: true, updateable: true,
    defaultedOnCreate: false, picklistValues: [], restrictedPicklist: false, externalId: false, referenceTo: [], relationshipName: null, ...extra,
  };
}
const column = (id: string, type: string): MondayColumnSchema => ({ id, title: id, type, settings: {} });
function conv(sf: SalesforceFieldSchema, col: MondayColumnSchema, options: ConverterOptions = {}): FieldConverter {
  const choice = converterFor(sf, col, options);
  if (!choice.ok) throw new Error(choice.reason);
  return choice.converter;
}
const apiRead = (value: unknown): MondayColumnRead => ({ value: JSON.stringify(value), text: null });
function invalidOf(result: Converted<unknown>): ConversionError {
  if (result.kind !== 'invalid') throw new Error(`expected a conversion error, got ${JSON.stringify(result)}`);
  return result.error;
}
const valueOf = <T>(result: Converted<T>): T => {
  if (result.kind !== 'value') throw new Error(`expected a value, got ${JSON.stringify(result)}`);
  return result.value;
};

describe('phones: always a valid number with an upper-case ISO-2 country, never countryShortName ""', () => {
  const phone = (phoneCountry?: string) => conv(sfField('Phone', 'phone'), column('phone_main', 'phone'), phoneCountry ? { phoneCountry } : {});

  it('a national number is read in the field country and sent as E.164', () => {
    expect(valueOf(phone('US').toMonday('(415) 555-0101'))).toEqual({ phone: '+14155550101', countryShortName: 'US' });
    expect(valueOf(phone('DE').toMonday('030 901820'))).toEqual({ phone: '+4930901820', countryShortName: 'DE' });
  });

  it('a number with its own +/00 prefix takes its own country, whatever the fallback, and needs none', () => {
    expect(valueOf(phone().toMonday('+12025557000'))).toEqual({ phone: '+12025557000', countryShortName: 'US' });
    expect(valueOf(phone('US').toMonday('+44 20 7946 0958'))).toEqual({ phone: '+442079460958', countryShortName: 'GB' });
    expect(valueOf(phone('US').toMonday('0049 30 901820'))).toEqual({ phone: '+4930901820', countryShortName: 'DE' });
    expect(valueOf(phone().toMonday('+1 613 555 0100'))).toEqual({ phone: '+16135550100', countryShortName: 'CA' });
  });

  it('free text in a Salesforce Phone is a conversion error naming field, column, value and the fix', () => {
    const error = invalidOf(phone('US').toMonday('call me maybe'));
    expect(error).toMatchObject({ code: 'INVALID_FORMAT', field: 'Phone', column: 'phone_main', value: 'call me maybe' });
    expect(error.message).toBe('Phone <-> phone_main: "call me maybe" is not a valid phone number for US; correct it in Salesforce (monday accepts only valid numbers)');
    // numbers of the wrong length for their country are not sent either
    expect(invalidOf(phone('US').toMonday('555-0101')).code).toBe('INVALID_FORMAT');
    expect(invalidOf(phone('DE').toMonday('1234567')).code).toBe('INVALID_FORMAT');
  });

  it('a national number with no country known is an error that says where to set one', () => {
    const error = invalidOf(phone().toMonday('(415) 555-0101'));
    expect(error.code).toBe('UNKNOWN_COUNTRY');
    expect(error.hint).toContain('set phoneCountry on the field or defaults.phoneCountry in the mapping');
  });

  it('whatever the text, a write carries a number libphonenumber accepts for an upper-case ISO-2 country', () => {
    const anyPhone = fc.oneof(fc.string(), fc.stringMatching(/^[+0]{0,2}[0-9 ()-]{4,18}$/));
    fc.assert(fc.property(anyPhone, fc.constantFrom(undefined, 'US', 'GB', 'DE', 'IN'), (text, country) => {
      const result = phone(country).toMonday(text);
      if (result.kind !== 'value' || result.value === null) return;
      const written = result.value as { phone: string; countryShortName: string };
      expect(written.countryShortName).toMatch(/^[A-Z]{2}$/);
      expect(parsePhoneNumberFromString(written.phone, written.countryShortName as CountryCode)?.isValid()).toBe(true);
    }));
  });

  it('numbers compare as parsed, so format differences never ping-pong', () => {
    const us = phone('US');
    expect(us.equals('(415) 555-0101', '+14155550101')).toBe(true);
    expect(us.equals(' 415.555.0101 ', '+1 415 555 0101')).toBe(true);
    expect(us.equals('(415) 555-0101', '+14155550102')).toBe(false);
    expect(us.equals('', null)).toBe(true);
    // what monday holds comes back as E.164, read in the country monday stored it with
    expect(valueOf(us.fromMondayApi(apiRead({ phone: '4155550101', countryShortName: 'US' })))).toBe('+14155550101');
    expect(valueOf(us.fromMondayWebhook({ phone: '+442079460958', countryShortName: 'GB' }))).toBe('+442079460958');
  });

  it('the country of national numbers: the field, then defaults.phoneCountry, then the monday account', () => {
    const field: Pick<FieldMapping, 'phoneCountry'> = {};
    const account = { mondayAccount: { countryCode: 'us' } };
    expect(phoneCountryFor({ phoneCountry: 'DE' }, { defaults: { phoneCountry: 'GB' } }, account)).toEqual({ country: 'DE', source: 'field' });
    expect(phoneCountryFor(field, { defaults: { phoneCountry: 'GB' } }, account)).toEqual({ country: 'GB', source: 'defaults' });
    expect(phoneCountryFor(field, {}, account)).toEqual({ country: 'US', source: 'monday_account' });
    expect(phoneCountryFor(field, {}, { mondayAccount: { countryCode: null } })).toBeUndefined();
    expect(phoneCountryFor(field, {}, {})).toBeUndefined();
  });

  it('converterForField uses the context country only when the field sets none', () => {
    const entry: FieldMapping = { salesforce: 'Phone', monday: 'phone_main', authority: 'both', values: {}, createLabelsIfMissing: false };
    const build = (f: FieldMapping) => {
      const choice = converterForField(f, sfField('Phone', 'phone'), column('phone_main', 'phone'), { timeZone: 'UTC', phoneCountry: 'US' });
      if (!choice.ok) throw new Error(choice.reason);
      return choice.converter;
    };
    expect(valueOf(build(entry).toMonday('(415) 555-0101'))).toEqual({ phone: '+14155550101', countryShortName: 'US' });
    expect(valueOf(build({ ...entry, phoneCountry: 'GB' }).toMonday('020 7946 0958'))).toEqual({ phone: '+442079460958', countryShortName: 'GB' });
  });
});

describe('the other monday types that validate', () => {
  it('email: a valid address, written {email, text}; compared trimmed and case-insensitively', () => {
    const email = conv(sfField('Email', 'email'), column('email', 'email'));
    expect(valueOf(email.toMonday(' ann+news@example.org '))).toEqual({ email: 'ann+news@example.org', text: 'ann+news@example.org' });
    for (const bad of ['ann', 'ann@example', 'ann @example.org', 'ann@@example.org', '@example.org']) {
      expect(invalidOf(email.toMonday(bad))).toMatchObject({ code: 'INVALID_FORMAT', field: 'Email', value: bad });
    }
    expect(email.equals('Ann@Example.org', ' ann@example.org')).toBe(true);
  });

  it('link: a Website without a scheme is sent with https://, compared normalised', () => {
    const link = conv(sfField('Website', 'url'), column('website', 'link'));
    expect(valueOf(link.toMonday('example.org'))).toEqual({ url: 'https://example.org', text: 'https://example.org' });
    expect(valueOf(link.toMonday('http://Example.org/about'))).toEqual({ url: 'http://Example.org/about', text: 'http://Example.org/about' });
    expect(link.equals('example.org', 'https://example.org/')).toBe(true);
    expect(link.equals('example.org', 'https://EXAMPLE.org')).toBe(true);
    expect(link.equals('example.org', 'https://example.com')).toBe(false);
    for (const bad of ['my site', 'javascript:alert(1)', 'localhost.', 'ftp://example.org', 'https://']) {
      expect(invalidOf(link.toMonday(bad))).toMatchObject({ code: 'INVALID_FORMAT', field: 'Website', value: bad });
    }
  });

  it('country: a valid ISO-2 code with its name; an unknown country is an error', () => {
    const country = conv(sfField('BillingCountry', 'string', { length: 80 }), column('country', 'country'));
    expect(valueOf(country.toMonday('Germany'))).toEqual({ countryCode: 'DE', countryName: 'Germany' });
    expect(valueOf(country.toMonday('USA'))).toEqual({ countryCode: 'US', countryName: 'United States' });
    expect(invalidOf(country.toMonday('Atlantis'))).toMatchObject({ code: 'UNKNOWN_COUNTRY', field: 'BillingCountry', value: 'Atlantis' });
    expect(invalidOf(country.toMonday('UK '.repeat(3)))).toMatchObject({ code: 'UNKNOWN_COUNTRY' });
  });

  it('date: only real calendar dates', () => {
    const date = conv(sfField('CloseDate', 'date'), column('date', 'date'));
    expect(valueOf(date.toMonday('2028-02-29'))).toEqual({ date: '2028-02-29' });
    expect(invalidOf(date.toMonday('2027-02-29'))).toMatchObject({ code: 'INVALID_FORMAT', field: 'CloseDate', value: '2027-02-29' });
  });
});

describe('Salesforce stores strings trimmed and "" as null', () => {
  const text = conv(sfField('Title', 'string'), column('text', 'text'));
  const status = conv(sfField('Rating', 'picklist'), column('status', 'status'));

  it('compares "  x " with "x" and "" with null as the same value', () => {
    expect(text.equals('  Acme ', 'Acme')).toBe(true);
    expect(text.equals('', null)).toBe(true);
    expect(text.equals('   ', null)).toBe(true);
    expect(text.equals('Acme', 'Acme Inc')).toBe(false);
    expect(status.equals(' Hot', 'Hot')).toBe(true);
  });

  it('turns monday text into what Salesforce would store', () => {
    expect(valueOf(text.fromMondayApi(apiRead('  Acme  ')))).toBe('Acme');
    expect(valueOf(text.fromMondayWebhook({ value: '   ' }))).toBeNull();
  });

  it('a padded monday name is sent trimmed, and its echo from Salesforce is no change (one write, no loop)', () => {
    const nameField = sfField('Name', 'string');
    const field: ResolvedField = {
      key: '__name__', mapping: { salesforce: 'Name', monday: '__name__', authority: 'both', values: {}, createLabelsIfMissing: false },
      salesforceFields: ['Name'], column: column('__name__', 'name'), converter: conv(nameField, column('__name__', 'text')), salesforceUpdateable: true, salesforceCreateable: true,
    };
    const record = newRecord('account', '1', { salesforceId: '001000000000001AAA', mondayItemId: '11' });
    observe(record, field, 'salesforce', 'Acme', 1_000, 'user');
    expect(observe(record, field, 'monday', '  Acme Corp ', 2_000, 'user')).toEqual({ accepted: true, push: true });
    expect(salesforceFieldValues(record, [field])).toEqual({ Name: 'Acme Corp' });
    expect(observe(record, field, 'salesforce', 'Acme Corp', 3_000, 'own_echo')).toMatchObject({ accepted: false, reason: 'own_echo' });
    expect(record.fields.__name__).not.toHaveProperty('echoed');
    // the monday side keeps its padding; it holds the agreed value, so nothing goes back to monday
    expect(observe(record, field, 'monday', '  Acme Corp ', 4_000, 'user')).toMatchObject({ accepted: false, reason: 'unchanged_value' });
  });
});

describe('defaults.phoneCountry in the mapping file', () => {
  const file = (defaults: string) => `${defaults}objects:\n  account:\n    salesforce: Account\n    monday: { board: "1", salesforceIdColumn: text_sfid }\n`;
  it('is loaded, and must be an upper-case ISO-2 code', () => {
    expect(readMapping(file('defaults: { phoneCountry: US }\n'))).toMatchObject({ ok: true, mapping: { defaults: { phoneCountry: 'US' } } });
    const lower = readMapping(file('defaults: { phoneCountry: us }\n'));
    expect(lower.ok).toBe(false);
    if (!lower.ok) expect(lower.problems.map((p) => p.path)).toEqual(['defaults.phoneCountry']);
  });
});
