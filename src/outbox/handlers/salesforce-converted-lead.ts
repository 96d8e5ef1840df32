import { streams, type NewEvent } from '../../event-store/events';
import type { SalesforceRecordSnapshot } from '../../event-store/payloads/sync-results';
import { to18 } from '../../mapping/salesforce-id';
import type { ClaimedCommand } from '../claim';
import { attemptKey } from '../result-events';
import type { DispatchContext } from './handler-types';

/** Salesforce's refusal to write a Lead that is converted (a converted Lead is read-only). */
export const CONVERTED_LEAD_CODE = 'CANNOT_UPDATE_CONVERTED_LEAD';

/**
 * An update refused because a person converted the Lead before the sync saw it: the conversion is
 * an outcome, not a failure. Reads the Lead and the records it became and returns them as
 * `salesforce.record_snapshot` events (the Lead's shows IsConverted, which marks its record
 * converted; the others, reason 'lead_conversion', get their items as after our own conversion).
 * Null when the Lead does not read as converted (then the refusal stays a failure).
 */
export async function followConversion(c: ClaimedCommand, leadId: string, ctx: DispatchContext): Promise<NewEvent[] | null> {
  ctx.countRequests('salesforce', 1);
  const lead = await ctx.salesforce.get('Lead', leadId);
  if (!lead || lead.IsConverted !== true) return null;
  const events = [snapshotEvent(c, 'Lead', lead, 'catch_up', ctx.now())];
  const targets: Array<[string, unknown]> = [
    ['Account', lead.ConvertedAccountId],
    ['Contact', lead.ConvertedContactId],
    ['Opportunity', lead.ConvertedOpportunityId],
  ];
  for (const [object, id] of targets) {
    if (typeof id !== 'string') continue;
    ctx.countRequests('salesforce', 1);
    const record = await ctx.salesforce.get(object, id);
    if (record) events.push(snapshotEvent(c, object, record, 'lead_conversion', ctx.now()));
  }
  return events;
}

function snapshotEvent(c: ClaimedCommand, object: string, record: Record<string, unknown> & { Id: string }, reason: SalesforceRecordSnapshot['reason'], now: Date): NewEvent {
  const id18 = to18(record.Id);
  return {
    type: 'salesforce.record_snapshot',
    source: 'salesforce',
    sourceEventId: attemptKey(c, `converted:${object}`),
    stream: streams.salesforceRecord(object, id18),
    origin: 'unknown',
    occurredAt: now,
    payload: { object, record: { ...record, Id: id18 }, systemModstamp: String(record.SystemModstamp ?? ''), reason },
  };
}
