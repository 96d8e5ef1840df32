import type { SalesforceControl } from '../control/salesforce-control';
import { DEMO_ACCOUNTS, DEMO_CONTACTS, DEMO_GRANTS, DEMO_OPPORTUNITIES, DEMO_USERS, demoLeads } from './demo-data';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Seeds the nonprofit demo org: users (with e-mails to match monday people), 10 Accounts, Contacts,
 * Opportunities in stages, Grant__c records and ~30 Leads, created over the last few months so
 * backfills and CreatedDate filters have something to chew on. No change events (pre-existing data).
 */
export function seedDemoOrg(target: { control: SalesforceControl }): Record<string, number> {
  const { control } = target;
  const now = control.now();
  const daysAgo = (n: number) => new Date(now - n * DAY_MS).toISOString();
  const relDate = (v: unknown) =>
    typeof v === 'string' && /^[+-]\d+$/.test(v) ? new Date(now + Number(v) * DAY_MS).toISOString().slice(0, 10) : v;
  const audit = (age: number) => ({ CreatedDate: daysAgo(age), LastModifiedDate: daysAgo(Math.max(0, age - 3)) });

  const userIds = control.seed(
    DEMO_USERS.map((u) => ({ type: 'User', fields: { TimeZoneSidKey: 'America/New_York', ...u } })),
  );
  const activeOwners = userIds.slice(0, 3);
  const owner = (i: number) => activeOwners[i % activeOwners.length];

  const accountIds = control.seed(
    DEMO_ACCOUNTS.map((a, i) => ({ type: 'Account', fields: { ...a, OwnerId: owner(i), ...audit(200 - i * 9) } })),
  );
  const contactIds = control.seed(
    DEMO_CONTACTS.map(({ account, ...c }, i) => ({
      type: 'Contact',
      fields: { ...c, AccountId: accountIds[account], OwnerId: owner(i), ...audit(180 - i * 7) },
    })),
  );
  const opportunityIds = control.seed(
    DEMO_OPPORTUNITIES.map(({ account, CloseDate, ...o }, i) => ({
      type: 'Opportunity',
      fields: { ...o, CloseDate: relDate(CloseDate), AccountId: accountIds[account], OwnerId: owner(i), ...audit(150 - i * 8) },
    })),
  );
  const grantIds = control.seed(
    DEMO_GRANTS.map(({ account, ...g }, i) => ({
      type: 'Grant__c',
      fields: Object.fromEntries(
        Object.entries({ ...g, Account__c: accountIds[account], OwnerId: owner(i + 1), ...audit(120 - i * 10) }).map(([k, v]) => [k, relDate(v)]),
      ),
    })),
  );
  const leadIds = control.seed(
    demoLeads().map((l, i) => ({
      type: 'Lead',
      fields: Object.fromEntries(
        Object.entries({ ...l, OwnerId: owner(i), ...audit(95 - i * 3) }).map(([k, v]) => [k, relDate(v)]),
      ),
    })),
  );
  control.seed([
    { type: 'Task', fields: { Subject: 'Send MOU draft', WhatId: opportunityIds[0], WhoId: contactIds[0], ActivityDate: relDate('+3'), OwnerId: owner(0) } },
    { type: 'Task', fields: { Subject: 'Intro call', WhoId: leadIds[2], Status: 'Completed', ActivityDate: relDate('-2'), OwnerId: owner(2) } },
    { type: 'Task', fields: { Subject: 'Grant report due', WhatId: grantIds[0], Priority: 'High', ActivityDate: relDate('+14'), OwnerId: owner(1) } },
  ]);
  return {
    users: userIds.length,
    accounts: accountIds.length,
    contacts: contactIds.length,
    opportunities: opportunityIds.length,
    grants: grantIds.length,
    leads: leadIds.length,
    tasks: 3,
  };
}
