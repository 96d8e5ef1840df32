import type { MondayEmulator } from './index';
import { to18 as salesforceId18 } from '../salesforce/ids/salesforce-id';
import { boardRelationSettings } from './column-types/board-relation-column';
import { dropdownSettings } from './column-types/dropdown-column';
import { statusSettings } from './column-types/status-labels';
import type { ColumnSpec } from './board-actions';
import { ACCOUNT_USERS, INTEGRATION_USER_ID } from './account-users';

/**
 * Fixed ids of the demo boards, so a demo mapping file can name them. Boards model the CRM of the
 * project's seed documents: Leads (item name = company), Accounts, Contacts, Opportunities with the
 * Follow-up -> Quote -> MOU stage, relations Opportunities->Accounts, Contacts->Accounts,
 * Leads->Opportunities, and a text column holding the Salesforce Id on every board.
 */
export const DEMO_BOARDS = {
  leads: {
    id: 9378000505,
    name: 'Leads',
    groups: { newLeads: 'topics', qualified: 'qualified_leads' },
    columns: {
      firstName: 'first_name', lastName: 'last_name', title: 'title', email: 'email', phone: 'phone', website: 'website',
      leadSource: 'lead_source', industry: 'industry', status: 'lead_status', rating: 'rating', street: 'street', city: 'city',
      stateProvince: 'state_province', postalCode: 'postal_code', country: 'country', employees: 'employees',
      annualRevenue: 'annual_revenue', description: 'description', owner: 'owner', programInterest: 'program_interest',
      nextStep: 'next_step', lastContacted: 'last_contacted', doNotCall: 'do_not_call', salesforceId: 'salesforce_id',
      opportunity: 'opportunity', notes: 'notes',
    },
  },
  accounts: {
    id: 9378000512,
    name: 'Accounts',
    groups: { active: 'topics', prospects: 'prospects' },
    columns: {
      type: 'account_type', industry: 'industry', phone: 'phone', website: 'website', billingCity: 'billing_city',
      billingCountry: 'billing_country', employees: 'employees', annualRevenue: 'annual_revenue', description: 'description',
      owner: 'owner', salesforceId: 'salesforce_id',
    },
  },
  contacts: {
    id: 9378000519,
    name: 'Contacts',
    groups: { contacts: 'topics' },
    columns: {
      firstName: 'first_name', lastName: 'last_name', title: 'title', email: 'email', phone: 'phone', mailingCity: 'mailing_city',
      role: 'contact_role', account: 'account', owner: 'owner', salesforceId: 'salesforce_id',
    },
  },
  opportunities: {
    id: 9378000526,
    name: 'Opportunities',
    groups: { open: 'topics', closed: 'closed' },
    columns: {
      stage: 'stage', amount: 'amount', closeDate: 'close_date', probability: 'probability', account: 'account', owner: 'owner',
      nextStep: 'next_step', leadSource: 'lead_source', engagement: 'engagement_period', description: 'description',
      salesforceId: 'salesforce_id',
    },
  },
} as const;

/** Label ids of the status columns (the values items_page rules and `{"index": N}` writes use). */
export const DEMO_STATUS_LABELS = {
  leadStatus: { 0: 'Working', 1: 'Qualified', 2: 'Unqualified', 3: 'New', 4: 'Nurturing' },
  rating: { 0: 'Warm', 2: 'Hot', 3: 'Cold' },
  accountType: { 0: 'Prospect', 1: 'Customer', 3: 'Partner', 4: 'Other' },
  contactRole: { 0: 'Influencer', 1: 'Decision Maker', 3: 'Technical Buyer', 4: 'Evaluator' },
  stage: { 0: 'Follow-up', 3: 'Quote', 1: 'MOU', 2: 'Closed Lost' },
} as const;

export const DEMO_USERS = ACCOUNT_USERS;

const L = DEMO_BOARDS.leads.columns;
const A = DEMO_BOARDS.accounts.columns;
const C = DEMO_BOARDS.contacts.columns;
const O = DEMO_BOARDS.opportunities.columns;
const [, MAYA, DANIEL, PRIYA, TOM] = ACCOUNT_USERS.map((u) => u.id);
const INDUSTRIES = ['Education', 'Healthcare', 'Nonprofit', 'Technology', 'Government', 'Manufacturing', 'Finance', 'Energy'];
const SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Trade Show', 'Word of mouth', 'Other'];

const col = (id: string, title: string, type: ColumnSpec['type'], settings?: Record<string, unknown>): ColumnSpec => ({ id, title, type, settings });
const status = (labels: Record<number, string>, done: number[], order?: number[]): Record<string, unknown> => ({ ...statusSettings(labels, done, order) });
const people = (id: number): unknown => ({ personsAndTeams: [{ id, kind: 'person' }] });
const email = (address: string): unknown => ({ email: address, text: address });
const phone = (number: string, country: string): unknown => ({ phone: number, countryShortName: country });
const link = (url: string): unknown => ({ url, text: url.replace(/^https?:\/\//, '') });
const country = (code: string, name: string): unknown => ({ countryCode: code, countryName: name });

/** Seeds the four demo boards and their items (no webhooks fire); returns the created item ids per board. */
export function seedDemoBoards(emulator: Pick<MondayEmulator, 'control'>): Record<keyof typeof DEMO_BOARDS, number[]> {
  const { control } = emulator;
  const owner = MAYA ?? INTEGRATION_USER_ID;
  control.seedBoard({
    id: DEMO_BOARDS.accounts.id, name: 'Accounts', ownerId: owner,
    groups: [{ id: 'topics', title: 'Active accounts' }, { id: 'prospects', title: 'Prospects' }],
    columns: [
      col(A.type, 'Type', 'status', status(DEMO_STATUS_LABELS.accountType, [1])), col(A.industry, 'Industry', 'dropdown', dropdownSettings(INDUSTRIES)),
      col(A.phone, 'Phone', 'phone'), col(A.website, 'Website', 'link'), col(A.billingCity, 'Billing City', 'text'),
      col(A.billingCountry, 'Billing Country', 'country'), col(A.employees, 'Employees', 'numbers'), col(A.annualRevenue, 'Annual Revenue', 'numbers'),
      col(A.description, 'Description', 'long_text'), col(A.owner, 'Account Owner', 'people'), col(A.salesforceId, 'Salesforce Id', 'text'),
    ],
  });
  control.seedBoard({
    id: DEMO_BOARDS.contacts.id, name: 'Contacts', ownerId: owner, groups: [{ id: 'topics', title: 'Contacts' }],
    columns: [
      col(C.firstName, 'First Name', 'text'), col(C.lastName, 'Last Name', 'text'), col(C.title, 'Title', 'text'), col(C.email, 'Email', 'email'),
      col(C.phone, 'Phone', 'phone'), col(C.mailingCity, 'Mailing City', 'text'), col(C.role, 'Role', 'status', status(DEMO_STATUS_LABELS.contactRole, [1])),
      col(C.account, 'Account', 'board_relation', { ...boardRelationSettings([DEMO_BOARDS.accounts.id], false) }),
      col(C.owner, 'Contact Owner', 'people'), col(C.salesforceId, 'Salesforce Id', 'text'),
    ],
  });
  control.seedBoard({
    id: DEMO_BOARDS.opportunities.id, name: 'Opportunities', ownerId: owner,
    groups: [{ id: 'topics', title: 'Open pipeline' }, { id: 'closed', title: 'Closed' }],
    columns: [
      col(O.stage, 'Stage', 'status', status(DEMO_STATUS_LABELS.stage, [1], [0, 3, 1, 2])), col(O.amount, 'Amount', 'numbers'), col(O.closeDate, 'Close Date', 'date'),
      col(O.probability, 'Probability (%)', 'numbers'),
      col(O.account, 'Account', 'board_relation', { ...boardRelationSettings([DEMO_BOARDS.accounts.id], false) }),
      col(O.owner, 'Opportunity Owner', 'people'), col(O.nextStep, 'Next Step', 'text'), col(O.leadSource, 'Lead Source', 'dropdown', dropdownSettings(SOURCES)),
      col(O.engagement, 'Engagement Period', 'timeline'), col(O.description, 'Description', 'long_text'), col(O.salesforceId, 'Salesforce Id', 'text'),
    ],
  });
  control.seedBoard({
    id: DEMO_BOARDS.leads.id, name: 'Leads', ownerId: owner,
    groups: [{ id: 'topics', title: 'New Leads' }, { id: 'qualified_leads', title: 'Qualified' }],
    columns: [
      col(L.firstName, 'First Name', 'text'), col(L.lastName, 'Last Name', 'text'), col(L.title, 'Title', 'text'), col(L.email, 'Email', 'email'),
      col(L.phone, 'Phone', 'phone'), col(L.website, 'Website', 'link'), col(L.leadSource, 'Lead Source', 'dropdown', dropdownSettings(SOURCES)),
      col(L.industry, 'Industry', 'dropdown', dropdownSettings(INDUSTRIES)), col(L.status, 'Lead Status', 'status', status(DEMO_STATUS_LABELS.leadStatus, [1], [3, 0, 4, 1, 2])),
      col(L.rating, 'Rating', 'status', status(DEMO_STATUS_LABELS.rating, [2], [2, 0, 3])), col(L.street, 'Street', 'text'), col(L.city, 'City', 'text'),
      col(L.stateProvince, 'State/Province', 'text'), col(L.postalCode, 'Postal Code', 'text'), col(L.country, 'Country', 'country'),
      col(L.employees, 'No. of Employees', 'numbers'), col(L.annualRevenue, 'Annual Revenue', 'numbers'), col(L.description, 'Description', 'long_text'),
      col(L.owner, 'Lead Owner', 'people'),
      col(L.programInterest, 'Program Interest', 'dropdown', dropdownSettings(['Workforce Training', 'Youth Mentoring', 'Data Literacy', 'Community Health', 'Sponsorship'])),
      col(L.nextStep, 'Next Step', 'text'), col(L.lastContacted, 'Last Contacted', 'date'), col(L.doNotCall, 'Do Not Call', 'checkbox'),
      col(L.salesforceId, 'Salesforce Id', 'text'),
      col(L.opportunity, 'Opportunity', 'board_relation', { ...boardRelationSettings([DEMO_BOARDS.opportunities.id], false) }),
      col(L.notes, 'Notes', 'long_text'),
    ],
  });
  return seedDemoItems(control);
}

function seedDemoItems(control: MondayEmulator['control']): Record<keyof typeof DEMO_BOARDS, number[]> {
  const accounts = control.seedItems(DEMO_BOARDS.accounts.id, [
    { name: 'Riverside Community College', columnValues: { [A.type]: { label: 'Customer' }, [A.industry]: { labels: ['Education'] }, [A.phone]: phone('+16175550142', 'US'), [A.website]: link('https://riverside-cc.example.edu'), [A.billingCity]: 'Boston', [A.billingCountry]: country('US', 'United States'), [A.employees]: '850', [A.annualRevenue]: '42000000', [A.owner]: people(MAYA), [A.salesforceId]: salesforceId18('001Dn00000Riv01') } },
    { name: 'Northwind Health Partners', columnValues: { [A.type]: { label: 'Customer' }, [A.industry]: { labels: ['Healthcare'] }, [A.phone]: phone('+13125550178', 'US'), [A.billingCity]: 'Chicago', [A.billingCountry]: country('US', 'United States'), [A.employees]: '1200', [A.owner]: people(DANIEL), [A.salesforceId]: salesforceId18('001Dn00000Nwh02') } },
    { name: 'Lumen Data Labs', columnValues: { [A.type]: { label: 'Partner' }, [A.industry]: { labels: ['Technology'] }, [A.website]: link('https://lumendata.example.com'), [A.billingCity]: 'Toronto', [A.billingCountry]: country('CA', 'Canada'), [A.employees]: '95', [A.owner]: people(PRIYA), [A.salesforceId]: salesforceId18('001Dn00000Lum03') } },
    { name: 'City of Ashford', groupId: 'prospects', columnValues: { [A.type]: { label: 'Prospect' }, [A.industry]: { labels: ['Government'] }, [A.billingCity]: 'Ashford', [A.billingCountry]: country('GB', 'United Kingdom'), [A.owner]: people(DANIEL), [A.description]: { text: 'Municipal digital skills programme; budget cycle closes in March.' } } },
    { name: 'Greenfield Energy Co-op', groupId: 'prospects', columnValues: { [A.type]: { label: 'Prospect' }, [A.industry]: { labels: ['Nonprofit'] }, [A.billingCity]: 'Portland', [A.billingCountry]: country('US', 'United States'), [A.employees]: '60', [A.owner]: people(TOM) } },
  ]);
  const [riverside, northwind, lumen, ashford] = accounts.map((a) => a.id);
  const contacts = control.seedItems(DEMO_BOARDS.contacts.id, [
    { name: 'Elena Park', columnValues: { [C.firstName]: 'Elena', [C.lastName]: 'Park', [C.title]: 'Dean of Continuing Education', [C.email]: email('elena.park@riverside-cc.example.edu'), [C.phone]: phone('+16175550199', 'US'), [C.mailingCity]: 'Boston', [C.role]: { label: 'Decision Maker' }, [C.account]: { item_ids: [riverside] }, [C.owner]: people(MAYA), [C.salesforceId]: salesforceId18('003Dn00000Epk01') } },
    { name: 'Marcus Reid', columnValues: { [C.firstName]: 'Marcus', [C.lastName]: 'Reid', [C.title]: 'IT Director', [C.email]: email('m.reid@riverside-cc.example.edu'), [C.role]: { label: 'Technical Buyer' }, [C.account]: { item_ids: [riverside] }, [C.owner]: people(MAYA) } },
    { name: 'Dr. Aisha Bello', columnValues: { [C.firstName]: 'Aisha', [C.lastName]: 'Bello', [C.title]: 'Chief Medical Officer', [C.email]: email('abello@northwind-health.example.org'), [C.role]: { label: 'Decision Maker' }, [C.account]: { item_ids: [northwind] }, [C.owner]: people(DANIEL), [C.salesforceId]: salesforceId18('003Dn00000Abe02') } },
    { name: 'Sam Whitaker', columnValues: { [C.firstName]: 'Sam', [C.lastName]: 'Whitaker', [C.title]: 'Partnerships Lead', [C.email]: email('sam@lumendata.example.com'), [C.phone]: phone('+14165550123', 'CA'), [C.role]: { label: 'Influencer' }, [C.account]: { item_ids: [lumen] }, [C.owner]: people(PRIYA) } },
    { name: 'Olivia Grant', columnValues: { [C.firstName]: 'Olivia', [C.lastName]: 'Grant', [C.title]: 'Programme Manager', [C.email]: email('olivia.grant@ashford.example.gov.uk'), [C.role]: { label: 'Evaluator' }, [C.account]: { item_ids: [ashford] }, [C.owner]: people(DANIEL) } },
  ]);
  const opportunities = control.seedItems(DEMO_BOARDS.opportunities.id, [
    { name: 'Riverside - Data Literacy Cohort 2027', columnValues: { [O.stage]: { label: 'Quote' }, [O.amount]: '48000', [O.closeDate]: { date: '2026-12-15' }, [O.probability]: '60', [O.account]: { item_ids: [riverside] }, [O.owner]: people(MAYA), [O.nextStep]: 'Send revised quote with cohort sizes', [O.leadSource]: { labels: ['Partner Referral'] }, [O.engagement]: { from: '2027-01-11', to: '2027-06-25' }, [O.salesforceId]: salesforceId18('006Dn00000Rdl01') } },
    { name: 'Northwind - Community Health Workers Training', columnValues: { [O.stage]: { label: 'MOU' }, [O.amount]: '125000', [O.closeDate]: { date: '2026-10-30' }, [O.probability]: '100', [O.account]: { item_ids: [northwind] }, [O.owner]: people(DANIEL), [O.salesforceId]: salesforceId18('006Dn00000Nch02') } },
    { name: 'Lumen - Sponsorship 2027', columnValues: { [O.stage]: { label: 'Follow-up' }, [O.amount]: '15000', [O.closeDate]: { date: '2027-02-01' }, [O.probability]: '20', [O.account]: { item_ids: [lumen] }, [O.owner]: people(PRIYA), [O.nextStep]: 'Intro call with marketing' } },
    { name: 'Ashford - Digital Skills Pilot', columnValues: { [O.stage]: { label: 'Follow-up' }, [O.amount]: '30000', [O.closeDate]: { date: '2027-03-31' }, [O.probability]: '10', [O.account]: { item_ids: [ashford] }, [O.owner]: people(DANIEL), [O.leadSource]: { labels: ['Web'] } } },
  ]);
  const [dataLiteracy, , sponsorship] = opportunities.map((o) => o.id);
  const leads = control.seedItems(DEMO_BOARDS.leads.id, [
    { name: 'Riverside Community College', groupId: 'qualified_leads', columnValues: { [L.firstName]: 'Elena', [L.lastName]: 'Park', [L.title]: 'Dean of Continuing Education', [L.email]: email('elena.park@riverside-cc.example.edu'), [L.leadSource]: { labels: ['Partner Referral'] }, [L.industry]: { labels: ['Education'] }, [L.status]: { label: 'Qualified' }, [L.rating]: { label: 'Hot' }, [L.city]: 'Boston', [L.stateProvince]: 'MA', [L.country]: country('US', 'United States'), [L.owner]: people(MAYA), [L.programInterest]: { labels: ['Data Literacy'] }, [L.opportunity]: { item_ids: [dataLiteracy] }, [L.salesforceId]: salesforceId18('00QDn00000Rcc01') } },
    { name: 'Lumen Data Labs', groupId: 'qualified_leads', columnValues: { [L.firstName]: 'Sam', [L.lastName]: 'Whitaker', [L.email]: email('sam@lumendata.example.com'), [L.leadSource]: { labels: ['Trade Show'] }, [L.industry]: { labels: ['Technology'] }, [L.status]: { label: 'Qualified' }, [L.rating]: { label: 'Warm' }, [L.owner]: people(PRIYA), [L.programInterest]: { labels: ['Sponsorship'] }, [L.opportunity]: { item_ids: [sponsorship] } } },
    { name: 'Harbor View Charter School', columnValues: { [L.firstName]: 'Jamal', [L.lastName]: 'Carter', [L.title]: 'Principal', [L.email]: email('jcarter@harborview.example.org'), [L.phone]: phone('+14155550111', 'US'), [L.website]: link('https://harborview.example.org'), [L.leadSource]: { labels: ['Web'] }, [L.industry]: { labels: ['Education', 'Nonprofit'] }, [L.status]: { label: 'New' }, [L.street]: '200 Embarcadero', [L.city]: 'San Francisco', [L.stateProvince]: 'CA', [L.postalCode]: '94105', [L.country]: country('US', 'United States'), [L.employees]: '45', [L.description]: { text: 'Filled in the website form asking about after-school mentoring.' }, [L.programInterest]: { labels: ['Youth Mentoring'] } } },
    { name: 'Keystone Manufacturing', columnValues: { [L.firstName]: 'Greta', [L.lastName]: 'Hoffmann', [L.title]: 'HR Manager', [L.email]: email('g.hoffmann@keystone-mfg.example.de'), [L.phone]: phone('+4930555012', 'DE'), [L.leadSource]: { labels: ['Phone Inquiry'] }, [L.industry]: { labels: ['Manufacturing'] }, [L.status]: { label: 'Working' }, [L.rating]: { label: 'Warm' }, [L.city]: 'Berlin', [L.country]: country('DE', 'Germany'), [L.employees]: '640', [L.annualRevenue]: '98000000', [L.owner]: people(TOM), [L.programInterest]: { labels: ['Workforce Training'] }, [L.nextStep]: 'Book site visit', [L.lastContacted]: { date: '2026-10-28', time: '14:30:00' } } },
    { name: 'Bright Futures Foundation', columnValues: { [L.firstName]: 'Nora', [L.lastName]: 'Quinn', [L.email]: email('nora@brightfutures.example.org'), [L.leadSource]: { labels: ['Word of mouth'] }, [L.industry]: { labels: ['Nonprofit'] }, [L.status]: { label: 'Nurturing' }, [L.rating]: { label: 'Cold' }, [L.owner]: people(PRIYA), [L.programInterest]: { labels: ['Youth Mentoring', 'Community Health'] } } },
    { name: 'Atlas Credit Union', columnValues: { [L.firstName]: 'Victor', [L.lastName]: 'Mendes', [L.title]: 'Community Relations', [L.email]: email('vmendes@atlascu.example.com'), [L.leadSource]: { labels: ['Other'] }, [L.industry]: { labels: ['Finance'] }, [L.status]: { label: 'Unqualified' }, [L.doNotCall]: { checked: 'true' }, [L.notes]: { text: 'Only interested in sponsoring a single event; revisit next year.' } } },
    { name: 'Meridian Clinics', columnValues: { [L.firstName]: 'Hana', [L.lastName]: 'Sato', [L.title]: 'Operations Director', [L.email]: email('hana.sato@meridian-clinics.example.com'), [L.phone]: phone('+81355550100', 'JP'), [L.leadSource]: { labels: ['Web'] }, [L.industry]: { labels: ['Healthcare'] }, [L.status]: { label: 'New' }, [L.country]: country('JP', 'Japan'), [L.programInterest]: { labels: ['Community Health'] } } },
  ]);
  return {
    accounts: accounts.map((i) => i.id),
    contacts: contacts.map((i) => i.id),
    opportunities: opportunities.map((i) => i.id),
    leads: leads.map((i) => i.id),
  };
}
