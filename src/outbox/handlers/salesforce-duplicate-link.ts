import { to18 } from '../../mapping/salesforce-id';
import { isSalesforceError, type SalesforceError } from '../../salesforce/salesforce.error';
import type { SObjectDescribe, WriteOptions } from '../../salesforce/salesforce.port';
import type { Claimed, DispatchContext } from './handler-types';
import { differingFields } from './salesforce-match';

type CreateCommand = Claimed<'salesforce.create'>;

/** What became of a create an org's duplicate rule refused. */
export type DuplicateOutcome =
  | { kind: 'linked'; salesforceId: string }
  /** The retry to learn the matches saved it after all (the matched record went away meanwhile). */
  | { kind: 'created'; salesforceId: string }
  | { kind: 'ambiguous'; ids: string[]; rule: string | null }
  | { kind: 'failed'; error: unknown };

/** A create refused by a duplicate rule (DUPLICATES_DETECTED), as opposed to a unique-field clash. */
export function isDuplicateRuleRefusal(error: unknown): error is SalesforceError {
  return isSalesforceError(error) && error.sfCode === 'DUPLICATES_DETECTED';
}

/** The object's write options from the mapping: `allowDuplicates: true` sends allowSave=true. */
export function writeOptionsFor(ctx: DispatchContext, objectKey: string): WriteOptions {
  return ctx.mapping?.byKey.get(objectKey)?.mapping.allowDuplicates === true ? { allowDuplicates: true } : {};
}

/**
 * Contract section 5: a create refused with DUPLICATES_DETECTED links to the record the rule matched
 * when it names exactly one, its values reconciled like any match (the fields that differ are
 * updated); several are ambiguous (never a guess). sObject Collections may answer without the
 * matched ids (addendum 6.2): the record is then sent once more as a single REST create, whose
 * error carries them.
 */
export async function linkDuplicateRefusal(
  object: string,
  c: CreateCommand,
  refusal: SalesforceError,
  describe: SObjectDescribe,
  ctx: DispatchContext,
): Promise<DuplicateOutcome> {
  let match = refusal.duplicates;
  if (!match || match.recordIds.length === 0) {
    try {
      ctx.countRequests('salesforce', 1);
      const created = await ctx.salesforce.create(object, c.command.fields, writeOptionsFor(ctx, c.command.objectKey));
      return { kind: 'created', salesforceId: to18(created.id) };
    } catch (error) {
      if (!isDuplicateRuleRefusal(error) || !error.duplicates || error.duplicates.recordIds.length === 0) return { kind: 'failed', error };
      match = error.duplicates;
    }
  }
  const ids = match.recordIds.map(to18);
  if (ids.length > 1) return { kind: 'ambiguous', ids, rule: match.rule };
  const id = ids[0] as string;
  const select = Object.keys(c.command.fields).filter((f) => !Array.isArray(c.command.fields[f]));
  ctx.countRequests('salesforce', 1);
  const existing = await ctx.salesforce.get(object, id, ['Id', ...select.filter((f) => f !== 'Id')]);
  if (!existing) return { kind: 'failed', error: refusal };
  const diff = differingFields(existing, c.command.fields, describe.fields);
  if (Object.keys(diff).length > 0) {
    ctx.countRequests('salesforce', 1);
    await ctx.salesforce.update(object, existing.Id, diff, writeOptionsFor(ctx, c.command.objectKey));
  }
  return { kind: 'linked', salesforceId: to18(existing.Id) };
}
