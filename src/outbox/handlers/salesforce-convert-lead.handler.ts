import { streams, type NewEvent } from '../../event-store/events';
import { to18 } from '../../mapping/salesforce-id';
import type { ConvertLeadResult } from '../../salesforce/salesforce.port';
import { toDispatchError } from '../dispatch-error';
import { attemptKey } from '../result-events';
import { failed, succeeded, type Claimed, type DispatchContext, type HandlerResults } from './handler-types';

/** Salesforce's default converted status in a new org; the mapping's `convert.convertedStatus` overrides it. */
export const DEFAULT_CONVERTED_STATUS = 'Closed - Converted';

type Conversion = Claimed<'salesforce.convert_lead'>;

/**
 * Converts Leads one by one (SOAP convertLead), then reads the resulting Account, Contact and
 * Opportunity and appends them as `salesforce.record_snapshot` (reason 'lead_conversion') with
 * `system.lead_converted`, so the sync links or creates their items. On a retry the Lead is read
 * first: when an earlier attempt converted it (its response was lost) the conversion is not repeated.
 */
export async function handleLeadConversions(commands: readonly Conversion[], ctx: DispatchContext): Promise<HandlerResults> {
  const results: HandlerResults = new Map();
  for (const c of commands) {
    try {
      const converted = (c.attempts > 1 ? await alreadyConverted(c, ctx) : null) ?? (await convert(c, ctx));
      const events = [...(await snapshots(c, converted, ctx)), leadConvertedEvent(c, converted, ctx.now())];
      results.set(c.id, succeeded({}, events, { accountId: converted.accountId, contactId: converted.contactId, opportunityId: converted.opportunityId }));
    } catch (error) {
      results.set(c.id, failed(toDispatchError(error)));
    }
  }
  return results;
}

async function convert(c: Conversion, ctx: DispatchContext): Promise<ConvertLeadResult> {
  const convertedStatus = c.command.convertedStatus ?? ctx.mapping?.byKey.get(c.command.objectKey)?.mapping.convert?.convertedStatus ?? DEFAULT_CONVERTED_STATUS;
  ctx.countRequests('salesforce', 1);
  return ctx.salesforce.convertLead({ leadId: c.command.leadId, convertedStatus });
}

async function alreadyConverted(c: Conversion, ctx: DispatchContext): Promise<ConvertLeadResult | null> {
  ctx.countRequests('salesforce', 1);
  const lead = await ctx.salesforce.get('Lead', c.command.leadId, ['Id', 'IsConverted', 'ConvertedAccountId', 'ConvertedContactId', 'ConvertedOpportunityId']);
  if (!lead || lead.IsConverted !== true || typeof lead.ConvertedAccountId !== 'string' || typeof lead.ConvertedContactId !== 'string') return null;
  return {
    leadId: lead.Id,
    accountId: lead.ConvertedAccountId,
    contactId: lead.ConvertedContactId,
    opportunityId: typeof lead.ConvertedOpportunityId === 'string' ? lead.ConvertedOpportunityId : null,
  };
}

async function snapshots(c: Conversion, converted: ConvertLeadResult, ctx: DispatchContext): Promise<NewEvent[]> {
  const targets: Array<[string, string | null]> = [
    ['Account', converted.accountId],
    ['Contact', converted.contactId],
    ['Opportunity', converted.opportunityId],
  ];
  const events: NewEvent[] = [];
  for (const [object, id] of targets) {
    if (!id) continue;
    ctx.countRequests('salesforce', 1);
    const record = await ctx.salesforce.get(object, id);
    if (!record) continue;
    const id18 = to18(record.Id);
    events.push({
      type: 'salesforce.record_snapshot',
      source: 'salesforce',
      sourceEventId: attemptKey(c, `snapshot:${object}`),
      stream: streams.salesforceRecord(object, id18),
      origin: 'unknown',
      occurredAt: ctx.now(),
      payload: { object, record: { ...record, Id: id18 }, systemModstamp: String(record.SystemModstamp ?? ''), reason: 'lead_conversion' },
    });
  }
  return events;
}

function leadConvertedEvent(c: Conversion, converted: ConvertLeadResult, now: Date): NewEvent {
  const leadId = to18(c.command.leadId);
  return {
    type: 'system.lead_converted',
    source: 'system',
    sourceEventId: attemptKey(c, 'converted'),
    stream: streams.salesforceRecord('Lead', leadId),
    origin: 'unknown',
    occurredAt: now,
    payload: {
      objectKey: c.command.objectKey,
      leadId,
      mondayItemId: c.command.itemId,
      accountId: to18(converted.accountId),
      contactId: to18(converted.contactId),
      opportunityId: converted.opportunityId ? to18(converted.opportunityId) : null,
    },
  };
}
