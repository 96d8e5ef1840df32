import { SalesforceEmulator } from '../../src/salesforce';
import type { ChangeEventPayload, RetainedChangeEvent } from '../../src/salesforce/cometd/change-event-log';
import { passwordLogin, rawFetch, startEmulator } from './sandbox-salesforce-helpers';

const ALLOW_SAVE = { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' };

/** Duplicate rules and merge as the real API has them (addendum 6.1, 6.2), through jsforce. */
describe('Salesforce emulator duplicate rules and merge', () => {
  let em: SalesforceEmulator;
  let seen: number;

  beforeAll(async () => {
    em = await startEmulator();
  });
  afterAll(async () => {
    await em.close();
  });
  beforeEach(async () => {
    seen = em.changeEventLog.latestReplayId();
    await control('POST', '/__sandbox/duplicate-rules/reset');
  });

  function newEvents(): ChangeEventPayload[] {
    const events = em.changeEventLog.readAfter(seen === 0 ? -2 : seen, 1000);
    if (events === 'invalid') throw new Error('replay id invalid');
    seen = em.changeEventLog.latestReplayId();
    return (events as RetainedChangeEvent[]).map((e) => e.payload);
  }

  async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${em.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  }

  function human(type: string, fields: Record<string, unknown>): string {
    const outcome = em.control.createAsHuman(type, fields);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    return outcome.id;
  }

  it('refuses an API create matching a standard rule with DUPLICATES_DETECTED and the real duplicateResut shape', async () => {
    const existing = human('Contact', { LastName: 'Okafor', Email: 'ada.okafor@example.org' });
    const conn = await passwordLogin(em);
    const res = await rawFetch(conn, '/services/data/v62.0/sobjects/Contact', {
      method: 'POST',
      body: JSON.stringify({ LastName: 'Okafor-Smith', Email: 'ADA.okafor@example.org ' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Array<Record<string, unknown>>;
    expect(body).toEqual([
      {
        duplicateResut: {
          allowSave: true,
          duplicateRule: 'Standard_Contact_Duplicate_Rule',
          duplicateRuleEntityType: 'Contact',
          errorMessage: "You're creating a duplicate record. We recommend you use an existing record instead.",
          matchResults: [
            {
              entityType: 'Contact',
              errors: [],
              matchEngine: 'ExactMatchEngine',
              matchRecords: [
                {
                  additionalInformation: [],
                  fieldDiffs: [],
                  matchConfidence: 100,
                  record: { attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${existing}` }, Id: existing },
                },
              ],
              rule: 'Standard_Contact_Match_Rule_v1_1',
              size: 1,
              success: true,
            },
          ],
        },
        errorCode: 'DUPLICATES_DETECTED',
        message: "You're creating a duplicate record. We recommend you use an existing record instead.",
      },
    ]);
    await expect(conn.sobject('Contact').create({ LastName: 'Other', Email: 'ada.okafor@example.org' })).rejects.toMatchObject({
      errorCode: 'DUPLICATES_DETECTED',
    });
    expect((await conn.query(`SELECT Id FROM Contact WHERE Email = 'ada.okafor@example.org'`)).totalSize).toBe(1);
  });

  it('lets allowSave=true save past an alert rule (`;` or `,` separated) but never past a block rule', async () => {
    human('Lead', { FirstName: 'Rui', LastName: 'Costa', Company: 'Harbor Pantry' });
    const conn = await passwordLogin(em);
    const create = (headers: Record<string, string>) =>
      rawFetch(conn, '/services/data/v62.0/sobjects/Lead', {
        method: 'POST',
        headers,
        body: JSON.stringify({ FirstName: 'rui', LastName: 'COSTA', Company: 'Harbor Pantry' }),
      });
    expect((await create({})).status).toBe(400);
    expect((await create(ALLOW_SAVE)).status).toBe(201);
    expect((await create({ 'Sforce-Duplicate-Rule-Header': 'includeRecordDetails=false, allowSave=true' })).status).toBe(201);

    expect((await control('PUT', '/__sandbox/duplicate-rules/Standard_Lead_Duplicate_Rule', { action: 'block' })).status).toBe(200);
    const blocked = await create(ALLOW_SAVE);
    expect(blocked.status).toBe(400);
    const [error] = (await blocked.json()) as Array<{ duplicateResut: { allowSave: boolean; matchResults: Array<{ size: number }> } }>;
    expect(error?.duplicateResut.allowSave).toBe(false);
    expect(error?.duplicateResut.matchResults[0]?.size).toBe(3);

    expect((await control('PUT', '/__sandbox/duplicate-rules/Standard_Lead_Duplicate_Rule', { active: false })).status).toBe(200);
    expect((await create({})).status).toBe(201);
  });

  it('checks sObject Collections and composite per record, never against records of the same call', async () => {
    const existing = human('Account', { Name: 'Riverside Food Bank' });
    const conn = await passwordLogin(em);
    const res = await rawFetch(conn, '/services/data/v62.0/composite/sobjects', {
      method: 'POST',
      body: JSON.stringify({
        allOrNone: false,
        records: [
          { attributes: { type: 'Account' }, Name: 'riverside food bank' },
          { attributes: { type: 'Account' }, Name: 'Twin Oaks Shelter' },
          { attributes: { type: 'Account' }, Name: 'Twin Oaks Shelter' },
        ],
      }),
    });
    const results = (await res.json()) as Array<{ success: boolean; errors: Array<Record<string, unknown>> }>;
    expect(results[0]).toEqual({
      success: false,
      errors: [{ statusCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?', fields: [] }],
    });
    expect(results.slice(1).map((r) => r.success)).toEqual([true, true]);

    const composite = await rawFetch(conn, '/services/data/v62.0/composite', {
      method: 'POST',
      body: JSON.stringify({
        allOrNone: false,
        compositeRequest: [{ method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'a', body: { Name: 'Riverside Food Bank' } }],
      }),
    });
    const sub = ((await composite.json()) as { compositeResponse: Array<{ httpStatusCode: number; body: Array<Record<string, unknown>> }> }).compositeResponse[0];
    expect(sub?.httpStatusCode).toBe(400);
    expect(sub?.body[0]).toMatchObject({ errorCode: 'DUPLICATES_DETECTED', duplicateResut: { matchResults: [{ matchRecords: [{ record: { Id: existing } }] }] } });

    const withHeader = await rawFetch(conn, '/services/data/v62.0/composite/sobjects', {
      method: 'POST',
      headers: ALLOW_SAVE,
      body: JSON.stringify({ allOrNone: false, records: [{ attributes: { type: 'Account' }, Name: 'Riverside Food Bank' }] }),
    });
    expect(((await withHeader.json()) as Array<{ success: boolean }>)[0]?.success).toBe(true);
  });

  it('checks an API edit that writes a matched field; people in the UI are alerted, not refused', async () => {
    human('Contact', { LastName: 'Lund', Email: 'maja.lund@example.org' });
    const other = human('Contact', { LastName: 'Berg', Email: 'nils.berg@example.org' });
    const conn = await passwordLogin(em);
    await expect(conn.sobject('Contact').update({ Id: other, Email: 'maja.lund@example.org' })).rejects.toMatchObject({ errorCode: 'DUPLICATES_DETECTED' });
    await expect(conn.sobject('Contact').update({ Id: other, Title: 'Volunteer' })).resolves.toMatchObject({ success: true });
    expect(em.control.updateAsHuman('Contact', other, { Email: 'maja.lund@example.org' }).ok).toBe(true);
  });

  it('SOAP merge: master + 2, children reparented, losers deleted with MasterRecordId, CDC UPDATE + DELETEs', async () => {
    const winner = human('Account', { Name: 'North Shelter' });
    const loserA = human('Account', { Name: 'North Shelter Inc' });
    const loserB = human('Account', { Name: 'North Shelter (old)' });
    const contact = human('Contact', { LastName: 'Haddad', AccountId: loserA });
    const opportunity = human('Opportunity', { Name: 'Winter drive', StageName: 'Prospecting', CloseDate: '2026-12-31', AccountId: loserB });
    seen = em.changeEventLog.latestReplayId();
    const conn = await passwordLogin(em);

    const envelope =
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Header><SessionHeader xmlns="urn:partner.soap.sforce.com">' +
      `<sessionId>${conn.accessToken}</sessionId></SessionHeader></soapenv:Header><soapenv:Body xmlns="urn:partner.soap.sforce.com"><merge><request>` +
      `<masterRecord><ns1:type xmlns:ns1="urn:sobject.partner.soap.sforce.com">Account</ns1:type><ns1:Id xmlns:ns1="urn:sobject.partner.soap.sforce.com">${winner}</ns1:Id>` +
      '<Phone>+1 202 555 0100</Phone></masterRecord>' +
      `<recordToMergeIds>${loserA}</recordToMergeIds><recordToMergeIds>${loserB}</recordToMergeIds></request></merge></soapenv:Body></soapenv:Envelope>`;
    const res = await fetch(`${em.url}/services/Soap/u/62.0`, { method: 'POST', headers: { 'content-type': 'text/xml', SOAPAction: '""' }, body: envelope });
    const xml = await res.text();
    expect(res.status).toBe(200);
    expect(xml).toContain(`<mergeResponse><result><id>${winner}</id><mergedRecordIds>${loserA}</mergedRecordIds><mergedRecordIds>${loserB}</mergedRecordIds><success>true</success>`);
    expect(xml).toContain(`<updatedRelatedIds>${contact}</updatedRelatedIds>`);
    expect(xml).not.toContain('<errors');

    const soql = `SELECT Id, IsDeleted, MasterRecordId FROM Account WHERE Id IN ('${loserA}', '${loserB}')`;
    const losers = (await (await rawFetch(conn, `/services/data/v62.0/queryAll?q=${encodeURIComponent(soql)}`)).json()) as { records: Array<Record<string, unknown>> };
    expect((await conn.query(soql)).totalSize).toBe(0);
    expect(losers.records.map((r) => [r.Id, r.IsDeleted, r.MasterRecordId])).toEqual([
      [loserA, true, winner],
      [loserB, true, winner],
    ]);
    expect((await conn.sobject('Contact').retrieve(contact)).AccountId).toBe(winner);
    expect((await conn.sobject('Opportunity').retrieve(opportunity)).AccountId).toBe(winner);
    expect((await conn.sobject('Account').retrieve(winner)).Phone).toBe('+1 202 555 0100');

    const events = newEvents().map((e) => [e.ChangeEventHeader.entityName, e.ChangeEventHeader.changeType, e.ChangeEventHeader.recordIds[0]]);
    expect(events).toEqual([
      ['Account', 'UPDATE', winner],
      ['Contact', 'UPDATE', contact],
      ['Account', 'DELETE', loserA],
      ['Opportunity', 'UPDATE', opportunity],
      ['Account', 'DELETE', loserB],
    ]);
  });

  it('SOAP merge through jsforce (<mergeRequests>) and its refusals: 3 losers, another type, a deleted record', async () => {
    const conn = await passwordLogin(em);
    const [winner, loser, a, b, c] = ['Ama', 'Ama B', 'x1', 'x2', 'x3'].map((n) => human('Lead', { LastName: n, Company: `Co ${n}` }));
    const soap = conn.soap as unknown as { merge(requests: unknown): Promise<unknown> };
    const merged = (await soap.merge({ masterRecord: { type: 'Lead', Id: winner }, recordToMergeIds: [loser] })) as Record<string, unknown>;
    expect(merged).toMatchObject({ id: winner, mergedRecordIds: [loser], success: true });

    const tooMany = (await soap.merge({ masterRecord: { type: 'Lead', Id: winner }, recordToMergeIds: [a, b, c] })) as Record<string, unknown>;
    expect(tooMany).toMatchObject({ success: false, errors: [{ statusCode: 'LIMIT_EXCEEDED' }] });
    const again = (await soap.merge({ masterRecord: { type: 'Lead', Id: winner }, recordToMergeIds: [loser] })) as Record<string, unknown>;
    expect(again).toMatchObject({ success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED' }] });
    const opp = human('Opportunity', { Name: 'o', StageName: 'Prospecting', CloseDate: '2026-12-31' });
    const other = human('Opportunity', { Name: 'p', StageName: 'Prospecting', CloseDate: '2026-12-31' });
    const wrongType = (await soap.merge({ masterRecord: { type: 'Opportunity', Id: opp }, recordToMergeIds: [other] })) as Record<string, unknown>;
    expect(wrongType).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_TYPE' }] });
    expect((await conn.query(`SELECT Id FROM Lead WHERE Id IN ('${a}', '${b}', '${c}')`)).totalSize).toBe(3);
  });

  it('control API human merge: empty changeOrigin, winner UPDATE even with no field change', async () => {
    const winner = human('Contact', { LastName: 'Silva', Email: 'joana.silva@example.org' });
    const loser = human('Contact', { LastName: 'Silva', FirstName: 'Joana' });
    seen = em.changeEventLog.latestReplayId();
    const { status, json } = await control('POST', '/__sandbox/merge', { type: 'Contact', masterId: winner, mergeIds: [loser] });
    expect(status).toBe(200);
    expect(json).toMatchObject({ success: true, id: winner, mergedRecordIds: [loser] });
    const events = newEvents();
    expect(events.map((e) => [e.ChangeEventHeader.changeType, e.ChangeEventHeader.recordIds[0], e.ChangeEventHeader.changeOrigin])).toEqual([
      ['UPDATE', winner, ''],
      ['DELETE', loser, ''],
    ]);
    const refused = await control('POST', '/__sandbox/merge', { type: 'Contact', masterId: winner, mergeIds: [winner] });
    expect(refused.status).toBe(400);
  });
});
