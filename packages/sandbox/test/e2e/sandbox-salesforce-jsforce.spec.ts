import jsforce from 'jsforce';
import jwt from 'jsonwebtoken';
import { SalesforceEmulator } from '../../src/salesforce';
import { expectApiError, passwordLogin, rawFetch, startEmulator } from './sandbox-salesforce-helpers';

/** The real jsforce 3.10.16, unchanged, against the emulator (issue 3, reference 9). */
describe('Salesforce emulator with the real jsforce', () => {
  let em: SalesforceEmulator;

  beforeAll(async () => {
    em = await startEmulator();
  });
  afterAll(async () => {
    await em.close();
  });

  it('logs in with the OAuth password grant and reads userInfo from the id URL (ref 1.2, 1.4)', async () => {
    const conn = await passwordLogin(em);
    expect(conn.instanceUrl).toBe(em.url);
    expect(conn.userInfo).toMatchObject({ id: em.integrationUserId, organizationId: em.orgId });
  });

  it('logs in with a JWT bearer assertion signed by the connected app key (ref 1.1)', async () => {
    const c = em.credentials;
    const assertion = jwt.sign({ iss: c.clientId, sub: c.username, aud: em.url }, c.privateKeyPem, {
      algorithm: 'RS256',
      expiresIn: 180,
    });
    const conn = new jsforce.Connection({ loginUrl: em.url, version: '62.0', oauth2: { clientId: c.clientId, loginUrl: em.url } });
    const info = await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    expect(info.id).toBe(em.integrationUserId);
    const ok = await conn.query('SELECT Id FROM User');
    expect(ok.totalSize).toBeGreaterThan(0);

    const wrongAudience = jwt.sign({ iss: c.clientId, sub: c.username, aud: 'https://login.salesforce.com' }, c.privateKeyPem, {
      algorithm: 'RS256',
      expiresIn: 180,
    });
    await expect(
      conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: wrongAudience }),
    ).rejects.toMatchObject({ name: 'invalid_grant' });
  });

  it('refreshes an expired session with the refresh_token grant and retries the call (ref 1.5)', async () => {
    const c = em.credentials;
    const redirectUri = 'http://localhost/callback';
    const conn = new jsforce.Connection({
      loginUrl: em.url,
      version: '62.0',
      oauth2: { clientId: c.clientId, clientSecret: c.clientSecret, loginUrl: em.url, redirectUri },
    });
    const authorize = await fetch(conn.oauth2.getAuthorizationUrl({}), { redirect: 'manual' });
    const code = new URL(authorize.headers.get('location') ?? '').searchParams.get('code') ?? '';
    await conn.authorize(code);
    expect(conn.refreshToken).toBeTruthy();
    const firstToken = conn.accessToken;
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));

    em.control.advanceClock(3 * 3600_000); // past the 2 h session lifetime
    const result = await conn.query('SELECT Id FROM User');

    expect(result.totalSize).toBeGreaterThan(0);
    expect(refreshed).toHaveLength(1);
    expect(conn.accessToken).not.toBe(firstToken);
  });

  it('creates, retrieves, updates and deletes a record (ref 2.1)', async () => {
    const conn = await passwordLogin(em);
    const created = await conn.sobject('Lead').create({ LastName: 'Ng', Company: 'Acme', Program_Interest__c: 'Health;Youth' });
    expect(created).toMatchObject({ success: true });
    const id = created.id as string;
    expect(id).toMatch(/^00Q[A-Za-z0-9]{15}$/);

    const read = await conn.sobject('Lead').retrieve(id, { fields: ['Name', 'Status', 'Program_Interest__c'] });
    expect(read).toMatchObject({ Name: 'Ng', Status: 'Open - Not Contacted', Program_Interest__c: 'Health;Youth' });

    await conn.sobject('Lead').update({ Id: id, FirstName: 'Lin', Status: 'Working - Contacted' });
    expect(await conn.sobject('Lead').retrieve(id)).toMatchObject({ Name: 'Lin Ng', Status: 'Working - Contacted' });

    await conn.sobject('Lead').destroy(id);
    await expectApiError(conn.sobject('Lead').retrieve(id), 'ENTITY_IS_DELETED');
  });

  it('upserts by external id: 201 created, then 200 updated (ref 2.3)', async () => {
    const conn = await passwordLogin(em);
    const first = await rawFetch(conn, '/services/data/v62.0/sobjects/Lead/Website_Form_Id__c/WF-77', {
      method: 'PATCH',
      body: JSON.stringify({ LastName: 'Okafor', Company: 'Summit Scholars' }),
    });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ success: true, created: true });
    const again = await conn.sobject('Lead').upsert({ Website_Form_Id__c: 'WF-77', Title: 'Director' }, 'Website_Form_Id__c');
    expect(again).toMatchObject({ success: true, created: false });
  });

  it('pages a query with nextRecordsUrl and queryMore (ref 2.4)', async () => {
    const conn = await passwordLogin(em);
    const records = Array.from({ length: 450 }, (_, i) => ({ LastName: `Page${i}`, Company: 'Paging Co' }));
    for (let i = 0; i < records.length; i += 200) {
      await conn.sobject('Lead').create(records.slice(i, i + 200));
    }
    const soql = "SELECT Id FROM Lead WHERE Company = 'Paging Co'";
    const first = (await conn.request({
      method: 'GET',
      url: `/services/data/v62.0/query?q=${encodeURIComponent(soql)}`,
      headers: { 'Sforce-Query-Options': 'batchSize=200' },
    })) as { totalSize: number; done: boolean; nextRecordsUrl: string; records: unknown[] };
    expect(first).toMatchObject({ totalSize: 450, done: false });
    expect(first.records).toHaveLength(200);
    const second = await conn.queryMore(first.nextRecordsUrl);
    expect(second.records).toHaveLength(200);
    const all = await conn.query(soql).run({ autoFetch: true, maxFetch: 10_000 });
    expect(all.records).toHaveLength(450);
  });

  it('runs sObject Collections with allOrNone and per-record statusCode errors (ref 3.1)', async () => {
    const conn = await passwordLogin(em);
    const partial = await conn.sobject('Lead').create([
      { LastName: 'Ok', Company: 'A' },
      { LastName: 'NoCompany' },
    ]);
    expect(partial[0]).toMatchObject({ success: true });
    expect(partial[1]).toMatchObject({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] }] });

    const before = (await conn.query("SELECT COUNT() FROM Lead WHERE Company = 'AllOrNone'")).totalSize;
    const rolledBack = await conn.sobject('Lead').create(
      [
        { LastName: 'Fine', Company: 'AllOrNone' },
        { LastName: 'Bad', Company: 'AllOrNone', Status: 'Not a status' },
      ],
      { allOrNone: true },
    );
    expect(rolledBack[0]).toMatchObject({ success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }] });
    expect(rolledBack[1]).toMatchObject({ errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' }] });
    expect((await conn.query("SELECT COUNT() FROM Lead WHERE Company = 'AllOrNone'")).totalSize).toBe(before);
  });

  it('runs a composite request with referenceId substitution (ref 3.2)', async () => {
    const conn = await passwordLogin(em);
    const result = (await conn.requestPost('/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'acct', body: { Name: 'Composite Org' } },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'ct', body: { LastName: 'Ng', AccountId: '@{acct.id}' } },
        { method: 'GET', url: '/services/data/v62.0/sobjects/Contact/@{ct.id}?fields=AccountId', referenceId: 'read' },
      ],
    })) as { compositeResponse: Array<{ httpStatusCode: number; body: Record<string, unknown>; referenceId: string }> };
    const [acct, ct, read] = result.compositeResponse;
    expect(acct?.httpStatusCode).toBe(201);
    expect(ct?.httpStatusCode).toBe(201);
    expect(read?.body.AccountId).toBe(acct?.body.id);
  });

  it('pages Bulk 2.0 query results through the results endpoint with Sforce-Locator (ref 4.1, 4.3)', async () => {
    const small = await startEmulator({ bulkQueryPageSize: 100 });
    try {
      const conn = await passwordLogin(small);
      await conn.sobject('Lead').create(Array.from({ length: 150 }, (_, i) => ({ LastName: `B${i}`, Company: 'Bulk Co' })));
      const job = (await conn.requestPost('/jobs/query', { operation: 'query', query: 'SELECT Id, LastName FROM Lead' })) as {
        id: string;
      };
      const queryJob = conn.bulk2.job('query', { id: job.id });
      await queryJob.poll(5, 5000);
      const pages: number[] = [];
      let locator = '';
      do {
        const res = await rawFetch(conn, `/services/data/v62.0/jobs/query/${job.id}/results${locator ? `?locator=${locator}` : ''}`, {
          headers: { Accept: 'text/csv' },
        });
        pages.push(Number(res.headers.get('sforce-numberofrecords')));
        locator = res.headers.get('sforce-locator') ?? 'null';
        const text = await res.text();
        expect(text.split('\n')[0]).toBe('"Id","LastName"');
      } while (locator !== 'null');
      expect(pages).toEqual([100, 50]);
    } finally {
      await small.close();
    }
  });

  it('loads records with a Bulk 2.0 ingest job and reports successes and failures (ref 4.2)', async () => {
    const conn = await passwordLogin(em);
    conn.bulk2.pollInterval = 5;
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Lead',
      operation: 'upsert',
      externalIdFieldName: 'Website_Form_Id__c',
      input: [
        { Website_Form_Id__c: 'BULK-1', LastName: 'Ng', Company: 'Acme' },
        { Website_Form_Id__c: 'BULK-2', LastName: 'Li', Company: null },
      ],
    });
    expect(results.successfulResults).toHaveLength(1);
    expect(results.successfulResults[0]).toMatchObject({ sf__Created: 'true', Website_Form_Id__c: 'BULK-1' });
    expect(results.failedResults[0]?.sf__Error).toMatch(/^REQUIRED_FIELD_MISSING:/);
  });

  it('converts a lead with conn.soap.convertLead into Account, Contact and Opportunity (ref 7.1)', async () => {
    const conn = await passwordLogin(em);
    const lead = await conn.sobject('Lead').create({ FirstName: 'Brenda', LastName: 'Mcclure', Company: 'Bright Futures' });
    const result = await conn.soap.convertLead({ leadId: lead.id as string, convertedStatus: 'Closed - Converted' });
    expect(result).toMatchObject({ success: true, leadId: lead.id });
    expect(result.accountId).toMatch(/^001/);
    expect(result.contactId).toMatch(/^003/);
    expect(result.opportunityId).toMatch(/^006/);
    const converted = await conn.sobject('Lead').retrieve(lead.id as string);
    expect(converted).toMatchObject({ IsConverted: true, ConvertedAccountId: result.accountId });
    await expectApiError(conn.sobject('Lead').update({ Id: lead.id as string, Title: 'x' }), 'CANNOT_UPDATE_CONVERTED_LEAD');
  });

  it('reports limits and answers REQUEST_LIMIT_EXCEEDED once the daily allocation is used (ref 2.7, 8)', async () => {
    const limited = await startEmulator({ dailyApiLimit: 4 });
    try {
      const conn = await passwordLogin(limited);
      const limits = (await conn.limits()) as unknown as { DailyApiRequests: { Max: number; Remaining: number } };
      expect(limits.DailyApiRequests).toEqual({ Max: 4, Remaining: 3 });
      await conn.query('SELECT Id FROM User');
      expect(conn.limitInfo.apiUsage).toEqual({ used: 2, limit: 4 });
      await conn.query('SELECT Id FROM User');
      await conn.query('SELECT Id FROM User');
      await expectApiError(conn.query('SELECT Id FROM User'), 'REQUEST_LIMIT_EXCEEDED');
    } finally {
      await limited.close();
    }
  });

  it('logs in over SOAP when no OAuth client is configured (ref 1.4)', async () => {
    const conn = new jsforce.Connection({ loginUrl: em.url, version: '62.0', logLevel: 'NONE' });
    const info = await conn.login(em.credentials.username, em.credentials.password);
    expect(info.id).toBe(em.integrationUserId);
    expect((await conn.query('SELECT Id FROM User')).totalSize).toBeGreaterThan(0);
    await expect(
      new jsforce.Connection({ loginUrl: em.url, version: '62.0', logLevel: 'NONE' }).login(em.credentials.username, 'wrong'),
    ).rejects.toThrow(/INVALID_LOGIN/);
  });
});
