import type { SaveResult } from '../../salesforce/salesforce.port';
import { toDispatchError } from '../dispatch-error';
import { failed, succeeded, type Claimed, type DispatchContext, type HandlerResults } from './handler-types';

const COLLECTION_SIZE = 200;

/**
 * Deletes through sObject Collections. A record that is already gone (NOT_FOUND, DELETED: e.g. the
 * response of an earlier attempt was lost after Salesforce deleted it) counts as deleted.
 */
export async function handleSalesforceDeletes(commands: ReadonlyArray<Claimed<'salesforce.delete'>>, ctx: DispatchContext): Promise<HandlerResults> {
  const results: HandlerResults = new Map();
  for (let start = 0; start < commands.length; start += COLLECTION_SIZE) {
    const chunk = commands.slice(start, start + COLLECTION_SIZE);
    let saved: SaveResult[];
    try {
      ctx.countRequests('salesforce', 1);
      saved = await ctx.salesforce.deleteMany(chunk.map((c) => c.command.salesforceId));
    } catch (error) {
      const failure = toDispatchError(error);
      for (const c of chunk) results.set(c.id, failed(failure));
      continue;
    }
    chunk.forEach((c, index) => {
      const result = saved[index];
      if (result?.ok) results.set(c.id, succeeded({}, [], { deleted: c.command.salesforceId }));
      else if (result && (result.error.code === 'NOT_FOUND' || result.error.code === 'DELETED')) {
        results.set(c.id, succeeded({}, [], { deleted: c.command.salesforceId, alreadyGone: true }));
      } else results.set(c.id, failed(toDispatchError(result?.error ?? new Error('no result for this record'))));
    });
  }
  return results;
}
