import type { Candidate } from '../../src/data-quality/candidate';
import { clusterId, findClusters } from '../../src/data-quality/find-clusters';
import { similarPeople } from '../../src/data-quality/name-similarity';

function person(crm: Candidate['crm'], id: string, first: string, last: string, extra: Partial<Candidate> = {}): Candidate {
  return {
    crm,
    id,
    name: `${first} ${last}`,
    firstName: first,
    lastName: last,
    company: null,
    organisationRef: null,
    emails: [],
    phones: [],
    website: null,
    createdAt: null,
    filled: 2,
    linkedTo: null,
    ...extra,
  };
}

const lead = { objectKey: 'lead', kind: 'person' as const, phoneCountry: 'US' };

describe('findClusters (duplicate search, contract section 5)', () => {
  it('equal e-mail ignoring case, across both CRMs', () => {
    const { clusters } = findClusters(
      [
        person('salesforce', '00Q000000000001AAA', 'Ada', 'Lovelace', { emails: ['Ada@Example.org'] }),
        person('monday', '501', 'Augusta', 'King', { emails: [' ada@example.org '] }),
        person('salesforce', '00Q000000000002AAA', 'Grace', 'Hopper', { emails: ['grace@navy.mil'] }),
      ],
      lead,
    );
    expect(clusters).toHaveLength(1);
    expect(clusters[0]).toMatchObject({ object: 'lead', reason: 'email', reasons: ['email'] });
    expect(clusters[0]!.members.map((m) => `${m.crm}:${m.id}`)).toEqual(['monday:501', 'salesforce:00Q000000000001AAA']);
  });

  it('equal phone as parsed numbers: national and E.164 forms match, different numbers do not', () => {
    const { clusters } = findClusters(
      [
        person('salesforce', '00Q000000000001AAA', 'Ada', 'Lovelace', { phones: ['(415) 555-0101'] }),
        person('monday', '501', 'Grace', 'Hopper', { phones: ['+1 415-555-0101'] }),
        person('monday', '502', 'Alan', 'Turing', { phones: ['+1 415-555-0102'] }),
        person('monday', '503', 'Edsger', 'Dijkstra', { phones: ['call me maybe'] }),
        person('monday', '504', 'Barbara', 'Liskov', { phones: ['call me maybe'] }),
      ],
      lead,
    );
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.reason).toBe('phone');
    expect(clusters[0]!.members.map((m) => m.id).sort()).toEqual(['00Q000000000001AAA', '501']);
  });

  it('similar names at the same company or e-mail domain; the same name at another company is not a duplicate', () => {
    const { clusters } = findClusters(
      [
        person('salesforce', '00Q000000000001AAA', 'Jon', 'Smith', { company: 'Acme, Inc.' }),
        person('monday', '501', 'John', 'Smith', { company: 'ACME' }),
        person('monday', '502', 'John', 'Smith', { company: 'Globex' }),
        person('salesforce', '00Q000000000003AAA', 'Jane', 'Smith', { company: 'Acme' }),
        person('salesforce', '00Q000000000004AAA', 'Maria', 'Garcia', { emails: ['maria@initech.com'] }),
        person('monday', '503', 'María', 'García', { emails: ['m.garcia@initech.com'] }),
        person('monday', '504', 'Maria', 'Garcia', { emails: ['maria.garcia@gmail.com'] }),
        person('monday', '505', 'Maria', 'Garcia', { emails: ['mgarcia@gmail.com'] }),
      ],
      lead,
    );
    const ids = clusters.map((c) => c.members.map((m) => m.id).sort());
    expect(ids).toEqual(expect.arrayContaining([['00Q000000000001AAA', '501'], ['00Q000000000004AAA', '503']]));
    expect(clusters).toHaveLength(2);
    expect(clusters.every((c) => c.reason === 'name')).toBe(true);
  });

  it('a linked pair is one entity, and proposes itself as the master over an unlinked duplicate', () => {
    const { clusters } = findClusters(
      [
        person('salesforce', '00Q000000000001AAA', 'Ada', 'Lovelace', { emails: ['ada@example.org'], linkedTo: '501' }),
        person('monday', '501', 'Ada', 'Lovelace', { emails: ['ada@example.org'], linkedTo: '00Q000000000001AAA' }),
        person('salesforce', '00Q000000000009AAA', 'Ada', 'Lovelace', { emails: ['ada@example.org'], filled: 9, createdAt: '2020-01-01T00:00:00Z' }),
        person('salesforce', '00Q000000000002AAA', 'Grace', 'Hopper', { emails: ['grace@navy.mil'], linkedTo: '502' }),
        person('monday', '502', 'Grace', 'Hopper', { emails: ['grace@navy.mil'], linkedTo: '00Q000000000002AAA' }),
      ],
      lead,
    );
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.members).toHaveLength(3);
    expect(clusters[0]!.master).toEqual({ crm: 'salesforce', id: '00Q000000000001AAA' });
    expect(clusters[0]!.masterReason).toContain('linked');
  });

  it('without links the most complete member is the master, then the oldest', () => {
    const complete = findClusters(
      [
        person('salesforce', '00Q000000000001AAA', 'Ada', 'Lovelace', { emails: ['ada@example.org'], filled: 3, createdAt: '2020-01-01T00:00:00Z' }),
        person('monday', '501', 'Ada', 'Lovelace', { emails: ['ada@example.org'], filled: 7, createdAt: '2024-01-01T00:00:00Z' }),
      ],
      lead,
    ).clusters[0]!;
    expect(complete.master).toEqual({ crm: 'monday', id: '501' });
    expect(complete.masterReason).toContain('most complete');
    const oldest = findClusters(
      [
        person('salesforce', '00Q000000000001AAA', 'Ada', 'Lovelace', { emails: ['ada@example.org'], createdAt: '2024-01-01T00:00:00Z' }),
        person('salesforce', '00Q000000000002AAA', 'Ada', 'Lovelace', { emails: ['ada@example.org'], createdAt: '2020-01-01T00:00:00Z' }),
      ],
      lead,
    ).clusters[0]!;
    expect(oldest.master).toEqual({ crm: 'salesforce', id: '00Q000000000002AAA' });
    expect(oldest.masterReason).toContain('oldest');
  });

  it('organisations: equal names after legal forms, similar names only with a shared domain', () => {
    const { clusters } = findClusters(
      [
        { ...person('salesforce', '001000000000001AAA', '', ''), name: 'Acme, Inc.', firstName: null, lastName: null, company: 'Acme, Inc.' },
        { ...person('monday', '501', '', ''), name: 'ACME', firstName: null, lastName: null, company: 'ACME' },
        { ...person('salesforce', '001000000000002AAA', '', ''), name: 'Oak Hill Library', firstName: null, lastName: null, company: 'Oak Hill Library', website: 'https://www.oakhill.org' },
        { ...person('monday', '502', '', ''), name: 'Oak Hil Library', firstName: null, lastName: null, company: 'Oak Hil Library', website: 'oakhill.org' },
        { ...person('monday', '503', '', ''), name: 'Oak Hills Library', firstName: null, lastName: null, company: 'Oak Hills Library' },
      ],
      { objectKey: 'account', kind: 'organisation' },
    );
    expect(clusters.map((c) => c.members.map((m) => m.id).sort())).toEqual(
      expect.arrayContaining([['001000000000001AAA', '501'], ['001000000000002AAA', '502']]),
    );
    expect(clusters).toHaveLength(2);
  });

  it('cluster ids are stable and independent of member order', () => {
    expect(clusterId('lead', [{ crm: 'monday', id: '1' }, { crm: 'salesforce', id: 'x' }])).toBe(clusterId('lead', [{ crm: 'salesforce', id: 'x' }, { crm: 'monday', id: '1' }]));
    expect(clusterId('lead', [{ crm: 'monday', id: '1' }])).toMatch(/^dup-[0-9a-f]{12}$/);
  });

  it('name thresholds', () => {
    const p = (first: string, last: string) => ({ first, last });
    expect(similarPeople(p('jon', 'smith'), p('john', 'smith'))).toBe(true);
    expect(similarPeople(p('jane', 'smith'), p('jon', 'smith'))).toBe(false);
    expect(similarPeople(p('j', 'smith'), p('john', 'smith'))).toBe(true);
    expect(similarPeople(p('john', 'smyth'), p('john', 'smith'))).toBe(true);
    expect(similarPeople(p('wei', 'li'), p('wei', 'lu'))).toBe(false);
  });
});
