import type { Connection } from 'jsforce';
import { SalesforceEmulator, to18 } from '../../src/salesforce';
import { passwordLogin, rawFetch, startEmulator } from './sandbox-salesforce-helpers';

/** One test per behaviour of the reference's emulator checklist (section 10) owned by the REST side. */
describe('Salesforce emulator checklist (reference 10)', () => {
  let em: SalesforceEmulator;
  let conn: Connection;
  const v = '/services/data/v62.0';

  beforeAll(async () => {
    em = await startEmulator();
    conn = await passwordLogin(em);
  });
  afterAll(async () => {
    await em.close();
  });

  const post = (path: string, body: unknown) => rawFetch(conn, `${v}${path}`, { method: 'POST', body: JSON.stringify(body) });
  const patch = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    rawFetch(conn, `${v}${path}`, { method: 'PATCH', body: JSON.stringify(body), headers });
  const token = (form: Record<string, string>) =>
    fetch(`${em.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  describe('10.1 OAuth token endpoint', () => {
    it('client_credentials answers instance_url pointing back and an id ending /<orgId>/<userId> (ref 1.2, 10.1)', async () => {
      const res = await token({ grant_type: 'client_credentials', client_id: em.credentials.clientId, client_secret: em.credentials.clientSecret });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, string>;
      expect(body).toMatchObject({ instance_url: em.url, token_type: 'Bearer' });
      expect(body.id).toBe(`${em.url}/id/${em.orgId}/${em.integrationUserId}`);
      expect(body.issued_at).toMatch(/^\d{13}$/);
      expect(body).not.toHaveProperty('refresh_token');
    });

    it('failures answer 400 {error, error_description} (ref 1.3, 10.1)', async () => {
      const badSecret = await token({ grant_type: 'client_credentials', client_id: em.credentials.clientId, client_secret: 'nope' });
      expect(badSecret.status).toBe(400);
      expect(await badSecret.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
      const badPassword = await token({
        grant_type: 'password', client_id: em.credentials.clientId, client_secret: em.credentials.clientSecret,
        username: em.credentials.username, password: 'wrong',
      });
      expect(await badPassword.json()).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' });
      const badRefresh = await token({ grant_type: 'refresh_token', client_id: em.credentials.clientId, refresh_token: 'x' });
      expect(await badRefresh.json()).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
    });

    it('expired token answers 401 INVALID_SESSION_ID (ref 0.3, 1.5, 10.1)', async () => {
      const short = await startEmulator({ tokenLifetimeMs: 60_000 });
      try {
        const c = await passwordLogin(short);
        short.control.advanceClock(61_000);
        const res = await rawFetch(c, `${v}/sobjects`);
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      } finally {
        await short.close();
      }
    });
  });

  describe('10.2 REST', () => {
    it('describeGlobal and describe give keyPrefix and what makes a field required on create (ref 2.2, 10.2)', async () => {
      const global = (await (await rawFetch(conn, `${v}/sobjects`)).json()) as { sobjects: Array<{ name: string; keyPrefix: string }> };
      expect(global.sobjects.find((s) => s.name === 'Lead')?.keyPrefix).toBe('00Q');
      expect(global.sobjects.find((s) => s.name === 'Grant__c')).toMatchObject({ keyPrefix: 'a01', custom: true });
      const lead = await conn.describe('Lead');
      const required = lead.fields.filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate).map((f) => f.name);
      expect(required.sort()).toEqual(['Company', 'LastName']);
      const status = lead.fields.find((f) => f.name === 'Status');
      expect(status).toMatchObject({ type: 'picklist', restrictedPicklist: true });
      expect(lead.fields.find((f) => f.name === 'Program_Interest__c')?.type).toBe('multipicklist');
      expect(lead.fields.find((f) => f.name === 'Website_Form_Id__c')).toMatchObject({ externalId: true, unique: true });
      expect(lead.fields.find((f) => f.name === 'OwnerId')).toMatchObject({ referenceTo: ['User'], relationshipName: 'Owner' });
    });

    it('create answers 201, update and delete 204, with the Salesforce JSON content type (ref 2.1, 10.2)', async () => {
      const created = await post('/sobjects/Account', { Name: 'Status Co' });
      expect(created.status).toBe(201);
      expect(created.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      const { id } = (await created.json()) as { id: string };
      expect((await patch(`/sobjects/Account/${id}`, { Phone: '1' })).status).toBe(204);
      expect((await rawFetch(conn, `${v}/sobjects/Account/${id}`, { method: 'DELETE' })).status).toBe(204);
    });

    it('ids are 18 characters with the checksum suffix and 15-character ids are accepted (ref 6.2)', async () => {
      const { id } = (await (await post('/sobjects/Account', { Name: 'Id Co' })).json()) as { id: string };
      expect(to18(id.slice(0, 15))).toBe(id);
      const short = await rawFetch(conn, `${v}/sobjects/Account/${id.slice(0, 15)}?fields=Name`);
      expect(await short.json()).toMatchObject({ Id: id, Name: 'Id Co' });
    });

    it('every reply carries Sforce-Limit-Info (ref 2, 10.2)', async () => {
      const ok = await rawFetch(conn, `${v}/limits`);
      expect(ok.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
      const notFound = await rawFetch(conn, `${v}/sobjects/Account/001000000000000AAA`);
      expect(notFound.status).toBe(404);
      expect(notFound.headers.get('sforce-limit-info')).toMatch(/^api-usage=/);
    });

    it('query results carry attributes, totalSize, done and nested relationship objects (ref 2.4, 10.2)', async () => {
      await post('/sobjects/Lead', { LastName: 'Rel', Company: 'Rel Co' });
      const res = await rawFetch(conn, `${v}/query?q=${encodeURIComponent("SELECT Id, Owner.Email FROM Lead WHERE Company = 'Rel Co'")}`);
      const body = (await res.json()) as { totalSize: number; done: boolean; records: Array<Record<string, unknown>> };
      expect(body).toMatchObject({ totalSize: 1, done: true });
      expect(body.records[0]).toMatchObject({
        attributes: { type: 'Lead' },
        Owner: { attributes: { type: 'User' }, Email: 'integration@crm-sync.example' },
      });
    });

    it('pages at 2 000 by default and serves locators under /query/ and /queryAll/ (ref 2.4, 10.2)', async () => {
      em.control.seed(Array.from({ length: 2100 }, (_, i) => ({ type: 'Task', fields: { Subject: `T${i}` } })));
      const first = (await (await rawFetch(conn, `${v}/queryAll?q=${encodeURIComponent('SELECT Id FROM Task')}`)).json()) as {
        records: unknown[]; nextRecordsUrl: string; done: boolean;
      };
      expect(first.records).toHaveLength(2000);
      expect(first.done).toBe(false);
      const locator = first.nextRecordsUrl.split('/').pop() as string;
      const viaQueryAll = (await (await rawFetch(conn, `${v}/queryAll/${locator}`)).json()) as { records: unknown[]; done: boolean };
      expect(viaQueryAll).toMatchObject({ done: true });
      expect(viaQueryAll.records).toHaveLength(100);
      const invalid = await rawFetch(conn, `${v}/query/0r8nope-2000`);
      expect(await invalid.json()).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
    });

    it('queryAll includes deleted records, query does not (ref 2.1)', async () => {
      const { id } = (await (await post('/sobjects/Account', { Name: 'Gone Co' })).json()) as { id: string };
      await rawFetch(conn, `${v}/sobjects/Account/${id}`, { method: 'DELETE' });
      const soql = encodeURIComponent("SELECT Id, IsDeleted FROM Account WHERE Name = 'Gone Co'");
      expect(((await (await rawFetch(conn, `${v}/query?q=${soql}`)).json()) as { totalSize: number }).totalSize).toBe(0);
      const all = (await (await rawFetch(conn, `${v}/queryAll?q=${soql}`)).json()) as { records: Array<{ IsDeleted: boolean }> };
      expect(all.records[0]?.IsDeleted).toBe(true);
    });

    it('If-Unmodified-Since older than the last change answers 412 (ref 2.6, 10.2)', async () => {
      const { id } = (await (await post('/sobjects/Account', { Name: 'Cond Co' })).json()) as { id: string };
      const past = new Date(em.control.now() - 3600_000).toUTCString();
      const res = await patch(`/sobjects/Account/${id}`, { Phone: '2' }, { 'If-Unmodified-Since': past });
      expect(res.status).toBe(412);
    });

    it.each([
      ['REQUIRED_FIELD_MISSING', 400, '/sobjects/Lead', { LastName: 'x' }],
      ['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 400, '/sobjects/Lead', { LastName: 'x', Company: 'y', Status: 'Bogus' }],
      ['STRING_TOO_LONG', 400, '/sobjects/Lead', { LastName: 'x'.repeat(81), Company: 'y' }],
      ['INVALID_FIELD', 400, '/sobjects/Lead', { LastName: 'x', Company: 'y', Nope__c: 1 }],
      ['INVALID_FIELD_FOR_INSERT_UPDATE', 400, '/sobjects/Lead', { LastName: 'x', Company: 'y', IsConverted: true }],
      ['INVALID_TYPE', 404, '/sobjects/Nope__c', { Name: 'x' }],
      ['JSON_PARSER_ERROR', 400, '/sobjects/Lead', { LastName: 'x', Company: 'y', NumberOfEmployees: 'many' }],
    ])('%s answers %i with the error array (ref 2.5)', async (code, status, path, body) => {
      const res = await post(path as string, body);
      expect(res.status).toBe(status);
      const errors = (await res.json()) as Array<{ errorCode: string; message: string }>;
      expect(errors[0]?.errorCode).toBe(code);
    });

    it('MALFORMED_ID, NOT_FOUND, ENTITY_IS_DELETED and DUPLICATE_VALUE (ref 2.5)', async () => {
      expect(await (await patch('/sobjects/Lead/not-an-id', { Title: 'x' })).json()).toMatchObject([{ errorCode: 'MALFORMED_ID' }]);
      const missing = await rawFetch(conn, `${v}/sobjects/Lead/${to18('00QHs0000009999')}`);
      expect(missing.status).toBe(404);
      const { id } = (await (await post('/sobjects/Lead', { LastName: 'D', Company: 'D', Website_Form_Id__c: 'DUP-1' })).json()) as { id: string };
      const dup = await post('/sobjects/Lead', { LastName: 'E', Company: 'E', Website_Form_Id__c: 'dup-1' });
      expect(await dup.json()).toMatchObject([{ errorCode: 'DUPLICATE_VALUE' }]);
      await rawFetch(conn, `${v}/sobjects/Lead/${id}`, { method: 'DELETE' });
      const deleted = await patch(`/sobjects/Lead/${id}`, { Title: 'x' });
      expect(deleted.status).toBe(404);
      expect(await deleted.json()).toMatchObject([{ errorCode: 'ENTITY_IS_DELETED' }]);
      const bad = await rawFetch(conn, `${v}/sobjects/Lead`, { method: 'POST', body: '{"LastName": ' });
      expect(await bad.json()).toMatchObject([{ errorCode: 'JSON_PARSER_ERROR' }]);
    });
  });

  describe('10.3 Composite', () => {
    it('sObject Collections reject more than 200 records and keep request order (ref 3.1, 10.3)', async () => {
      const tooMany = await post('/composite/sobjects', {
        records: Array.from({ length: 201 }, () => ({ attributes: { type: 'Account' }, Name: 'x' })),
      });
      expect(tooMany.status).toBe(400);
      const ordered = (await (await post('/composite/sobjects', {
        records: [
          { attributes: { type: 'Account' }, Name: 'First' },
          { attributes: { type: 'Contact' } },
          { attributes: { type: 'Account' }, Name: 'Third' },
        ],
      })).json()) as Array<{ success: boolean; id?: string; errors: Array<{ statusCode: string }> }>;
      expect(ordered.map((r) => r.success)).toEqual([true, false, true]);
      expect(ordered[1]?.errors[0]?.statusCode).toBe('REQUIRED_FIELD_MISSING');
    });

    it('composite with allOrNone rolls back and reports PROCESSING_HALTED (ref 3.2, 10.3)', async () => {
      const res = (await (await post('/composite', {
        allOrNone: true,
        compositeRequest: [
          { method: 'POST', url: `${v}/sobjects/Account`, referenceId: 'ok', body: { Name: 'Halted Co' } },
          { method: 'POST', url: `${v}/sobjects/Contact`, referenceId: 'bad', body: { FirstName: 'no last name' } },
        ],
      })).json()) as { compositeResponse: Array<{ httpStatusCode: number; body: Array<{ errorCode: string }> }> };
      expect(res.compositeResponse[0]).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED' }] });
      expect(res.compositeResponse[1]?.body[0]?.errorCode).toBe('REQUIRED_FIELD_MISSING');
      expect(em.control.records('Account').some((a) => a.Name === 'Halted Co')).toBe(false);
    });
  });

  describe('10.4 Bulk 2.0', () => {
    it('ingest job goes Open -> UploadComplete -> InProgress -> JobComplete and tolerates an empty Id column (ref 4.2, 10.4)', async () => {
      const job = (await (await post('/jobs/ingest', { object: 'Account', operation: 'upsert', externalIdFieldName: 'Legacy_Id__c' })).json()) as {
        id: string; state: string;
      };
      expect(job.state).toBe('Open');
      const upload = await rawFetch(conn, `${v}/jobs/ingest/${job.id}/batches`, {
        method: 'PUT',
        headers: { 'content-type': 'text/csv' },
        body: 'Id,Legacy_Id__c,Name\n,L-1,Bulk One\n,L-2,#N/A\n',
      });
      expect(upload.status).toBe(201);
      const states = [((await (await patch(`/jobs/ingest/${job.id}`, { state: 'UploadComplete' })).json()) as { state: string }).state];
      for (let i = 0; i < 2; i++) {
        states.push(((await (await rawFetch(conn, `${v}/jobs/ingest/${job.id}`)).json()) as { state: string }).state);
      }
      expect(states).toEqual(['UploadComplete', 'InProgress', 'JobComplete']);
      const ok = await (await rawFetch(conn, `${v}/jobs/ingest/${job.id}/successfulResults`)).text();
      expect(ok.split('\n')[0]).toBe('"sf__Id","sf__Created","Id","Legacy_Id__c","Name"');
      const failed = await (await rawFetch(conn, `${v}/jobs/ingest/${job.id}/failedResults`)).text();
      expect(failed).toContain('REQUIRED_FIELD_MISSING');
    });

    it('query results honour maxRecords and end with Sforce-Locator null (ref 4.1, 10.4)', async () => {
      em.control.seed(Array.from({ length: 5 }, (_, i) => ({ type: 'Account', fields: { Name: `Max${i}` } })));
      const job = (await (await post('/jobs/query', { operation: 'query', query: "SELECT Id, Name FROM Account WHERE Name LIKE 'Max%'" })).json()) as { id: string };
      await rawFetch(conn, `${v}/jobs/query/${job.id}`);
      await rawFetch(conn, `${v}/jobs/query/${job.id}`);
      const page1 = await rawFetch(conn, `${v}/jobs/query/${job.id}/results?maxRecords=3`);
      expect(page1.headers.get('sforce-numberofrecords')).toBe('3');
      const locator = page1.headers.get('sforce-locator') as string;
      expect(locator).not.toBe('null');
      const page2 = await rawFetch(conn, `${v}/jobs/query/${job.id}/results?maxRecords=3&locator=${locator}`);
      expect(page2.headers.get('sforce-numberofrecords')).toBe('2');
      expect(page2.headers.get('sforce-locator')).toBe('null');
    });
  });
});
