import { EmulatorContext } from '../context';
import { ApiErrorDetail, detail } from '../errors';
import { normalizeId } from '../ids/salesforce-id';
import { OPPORTUNITY_STAGES } from '../schema/objects/opportunity';
import { SObjectRecord } from '../store/record-store';
import { Transaction } from '../store/transaction';

export interface LeadConvertRequest {
  leadId: string;
  convertedStatus: string;
  accountId?: string;
  contactId?: string;
  opportunityName?: string;
  doNotCreateOpportunity?: boolean;
  ownerId?: string;
  overwriteLeadSource?: boolean;
}

export type LeadConvertResult =
  | { success: true; leadId: string; accountId: string; contactId: string; opportunityId: string | null }
  | { success: false; leadId: string; errors: ApiErrorDetail[] };

const CONVERTED_STATUSES = new Set(['Closed - Converted']);

/**
 * Lead conversion as `convertLead()` does it (reference 7.1): Account, Contact and (unless
 * doNotCreateOpportunity) Opportunity created from the lead, then the lead marked converted, all in
 * the caller's transaction, so change events come out in that order with sequence numbers 1..4.
 */
export function convertLead(ctx: EmulatorContext, tx: Transaction, req: LeadConvertRequest): LeadConvertResult {
  const { writer, store } = ctx.org;
  const savepoint = tx.savepoint();
  const failWith = (errors: ApiErrorDetail[]): LeadConvertResult => {
    tx.rollback(savepoint);
    return { success: false, leadId: req.leadId, errors };
  };
  const found = writer.findLive('Lead', req.leadId);
  if ('errors' in found) return failWith(found.errors);
  const lead = found.record;
  if (lead.IsConverted === true) return failWith([detail('CANNOT_UPDATE_CONVERTED_LEAD', 'This lead was already converted.')]);
  if (!CONVERTED_STATUSES.has(req.convertedStatus)) {
    return failWith([detail('INVALID_STATUS', `invalid convertedStatus: ${req.convertedStatus}`)]);
  }
  const ownerId = req.ownerId ? normalizeId(req.ownerId) ?? req.ownerId : (lead.OwnerId as string);
  const copy = (pairs: Array<[string, string]>) =>
    Object.fromEntries(pairs.filter(([from]) => lead[from] !== null).map(([from, to]) => [to, lead[from]]));

  let accountId = req.accountId ? normalizeId(req.accountId) : null;
  if (accountId) {
    const acct = store.get(accountId);
    if (!acct || acct.schema.name !== 'Account' || acct.record.IsDeleted) {
      return failWith([detail('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['accountId'])]);
    }
  } else {
    const created = writer.create(tx, 'Account', {
      Name: lead.Company,
      OwnerId: ownerId,
      ...copy([['Street', 'BillingStreet'], ['City', 'BillingCity'], ['State', 'BillingState'], ['PostalCode', 'BillingPostalCode'],
        ['Country', 'BillingCountry'], ['Phone', 'Phone'], ['Website', 'Website'], ['Industry', 'Industry'],
        ['AnnualRevenue', 'AnnualRevenue'], ['NumberOfEmployees', 'NumberOfEmployees'], ['LeadSource', 'AccountSource']]),
    });
    if (!created.ok) return failWith(created.errors);
    accountId = created.id;
  }

  let contactId = req.contactId ? normalizeId(req.contactId) : null;
  if (contactId) {
    const existing = store.get(contactId);
    if (!existing || existing.schema.name !== 'Contact' || existing.record.IsDeleted) {
      return failWith([detail('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['contactId'])]);
    }
  } else {
    const created = writer.create(tx, 'Contact', {
      AccountId: accountId,
      OwnerId: ownerId,
      ...copy([['Salutation', 'Salutation'], ['FirstName', 'FirstName'], ['LastName', 'LastName'], ['Title', 'Title'],
        ['Email', 'Email'], ['Phone', 'Phone'], ['MobilePhone', 'MobilePhone'], ['Street', 'MailingStreet'],
        ['City', 'MailingCity'], ['State', 'MailingState'], ['PostalCode', 'MailingPostalCode'], ['Country', 'MailingCountry'],
        ['LeadSource', 'LeadSource'], ['Description', 'Description'], ['HasOptedOutOfEmail', 'HasOptedOutOfEmail'],
        ['DoNotCall', 'DoNotCall']]),
    });
    if (!created.ok) return failWith(created.errors);
    contactId = created.id;
  }

  let opportunityId: string | null = null;
  if (!req.doNotCreateOpportunity) {
    const created = writer.create(tx, 'Opportunity', {
      Name: req.opportunityName ?? `${String(lead.Company)}-`,
      AccountId: accountId,
      ContactId: contactId,
      OwnerId: ownerId,
      StageName: Object.keys(OPPORTUNITY_STAGES)[0],
      CloseDate: endOfQuarter(ctx.clock.now()),
      ...copy([['LeadSource', 'LeadSource']]),
    });
    if (!created.ok) return failWith(created.errors);
    opportunityId = created.id;
  }

  const leadSchema = found.schema;
  const values = new Map<string, unknown>([
    ['Status', req.convertedStatus],
    ['IsConverted', true],
    ['ConvertedDate', new Date(ctx.clock.now()).toISOString().slice(0, 10)],
    ['ConvertedAccountId', accountId],
    ['ConvertedContactId', contactId],
    ['ConvertedOpportunityId', opportunityId],
  ]);
  const updated = writer.writeUpdate(tx, leadSchema, lead as SObjectRecord, values);
  if (!updated.ok) return failWith(updated.errors);
  return { success: true, leadId: lead.Id as string, accountId, contactId, opportunityId };
}

function endOfQuarter(now: number): string {
  const d = new Date(now);
  const quarterEndMonth = Math.floor(d.getUTCMonth() / 3) * 3 + 3;
  return new Date(Date.UTC(d.getUTCFullYear(), quarterEndMonth, 0)).toISOString().slice(0, 10);
}
