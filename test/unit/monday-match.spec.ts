import { decideFailure } from '../../src/outbox/failure-policy';
import { describeConditions, matchConditions, normalizedText } from '../../src/outbox/handlers/monday-match';
import { NAME_KEY } from '../../src/mapping/resolved-mapping';
import { exampleResolvedMapping } from '../support/sandbox-schemas';

describe('match: rules on the monday side', () => {
  const mapping = exampleResolvedMapping();
  const object = (key: string) => mapping.byKey.get(key)!;

  it('a Lead matches by the e-mail column, an Account by the item name (its name: field)', () => {
    const lead = matchConditions(object('lead'), { email: 'Pat@Example.org', [NAME_KEY]: 'Acme', city: 'Town' });
    expect(lead.map((c) => [c.field.key, c.value])).toEqual([['email', 'Pat@Example.org']]);
    expect(describeConditions(lead)).toBe('Email = "Pat@Example.org"');
    const account = matchConditions(object('account'), { [NAME_KEY]: 'Riverside Food Bank' });
    expect(account.map((c) => c.field.key)).toEqual([NAME_KEY]);
  });

  it('a match field with no value is left out, and no value at all means no match', () => {
    expect(matchConditions(object('lead'), { email: '  ', city: 'Town' })).toEqual([]);
    expect(matchConditions(object('lead'), { email: null })).toEqual([]);
    expect(matchConditions(object('lead'), undefined)).toEqual([]);
    expect(matchConditions(object('opportunity'), { [NAME_KEY]: 'Grant' })).toEqual([]);
  });

  it('texts compare trimmed, with whitespace runs folded and case ignored', () => {
    expect(normalizedText('  Riverside \t Food  Bank ')).toBe('riverside food bank');
    expect(normalizedText('Ada@Example.ORG')).toBe(normalizedText('ada@example.org'));
    expect(normalizedText('Ada Lovelace')).not.toBe(normalizedText('Ada  Lovelac'));
  });

  it('an ambiguous monday match gets a hint about duplicate items, a Salesforce one about duplicate records', () => {
    const error = { code: 'AMBIGUOUS_MATCH' as const, target: 'dispatcher' as const, message: 'ambiguous match' };
    const monday = decideFailure(error, { attempts: 1, objectKey: 'lead', target: 'monday' });
    const salesforce = decideFailure(error, { attempts: 1, objectKey: 'lead', target: 'salesforce' });
    expect(monday).toMatchObject({ action: 'dead_letter', hint: expect.stringMatching(/several items of the board .* objects\.lead\.match/) });
    expect(salesforce).toMatchObject({ action: 'dead_letter', hint: expect.stringMatching(/several records .* merge the duplicates in Salesforce/) });
  });
});
