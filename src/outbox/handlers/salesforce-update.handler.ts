import type { SaveResult } from '../../salesforce/salesforce.port';
import { toDispatchError } from '../dispatch-error';
import { failed, succeeded, type Claimed, type DispatchContext, type HandlerResult, type HandlerResults } from './handler-types';
import { CONVERTED_LEAD_CODE, followConversion } from './salesforce-converted-lead';
import { isDuplicateRuleRefusal, writeOptionsFor } from './salesforce-duplicate-link';
import { resendAcknowledgingAlert } from './salesforce-update-duplicate';

/** sObject Collections take up to 200 records per request (reference 3.1). */
const COLLECTION_SIZE = 200;

/**
 * Field updates of one object: sObject Collections of up to 200 records (updateMany, allOrNone false),
 * each record's result handled on its own. A command with nothing to write succeeds without a call.
 * A record a duplicate rule refused is sent again on its own, acknowledging the rule's alert
 * (salesforce-update-duplicate.ts).
 */
export async function handleSalesforceUpdates(
  object: string,
  commands: ReadonlyArray<Claimed<'salesforce.update'>>,
  ctx: DispatchContext,
): Promise<HandlerResults> {
  const results: HandlerResults = new Map();
  const toSend = commands.filter((c) => {
    if (Object.keys(c.command.fields).length > 0) return true;
    results.set(c.id, succeeded({}));
    return false;
  });
  for (let start = 0; start < toSend.length; start += COLLECTION_SIZE) {
    const chunk = toSend.slice(start, start + COLLECTION_SIZE);
    let saved: SaveResult[];
    const options = writeOptionsFor(ctx, chunk[0]?.command.objectKey ?? '');
    // allowDuplicates already acknowledged every alert: a rule that still refuses is set to Block.
    const alertsAcknowledged = options.allowDuplicates === true;
    try {
      ctx.countRequests('salesforce', 1);
      saved = await ctx.salesforce.updateMany(
        object,
        chunk.map((c) => ({ ...c.command.fields, Id: c.command.salesforceId })),
        options,
      );
    } catch (error) {
      const failure = toDispatchError(error);
      for (const c of chunk) results.set(c.id, failed(failure));
      continue;
    }
    for (const [index, c] of chunk.entries()) {
      const result = saved[index];
      if (result?.ok) results.set(c.id, succeeded(c.command.values ?? {}, [], { salesforceId: result.id }));
      else if (object === 'Lead' && result?.error.sfCode === CONVERTED_LEAD_CODE) results.set(c.id, await convertedMeanwhile(c, result.error, ctx));
      else if (isDuplicateRuleRefusal(result?.error) && !alertsAcknowledged) results.set(c.id, await resendAcknowledgingAlert(object, c, ctx));
      else results.set(c.id, failed(toDispatchError(result?.error ?? new Error('no result for this record'))));
    }
  }
  return results;
}

/**
 * A person converted the Lead before the sync saw it: nothing is written (a converted Lead is
 * read-only) and the conversion comes back as events, which mark the record converted.
 */
async function convertedMeanwhile(c: Claimed<'salesforce.update'>, refusal: Error, ctx: DispatchContext): Promise<HandlerResult> {
  try {
    const events = await followConversion(c, c.command.salesforceId, ctx);
    if (!events) return failed(toDispatchError(refusal));
    return succeeded({}, events, { salesforceId: c.command.salesforceId, convertedLead: true });
  } catch (error) {
    return failed(toDispatchError(error));
  }
}
