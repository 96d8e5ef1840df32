import { toDispatchError } from '../dispatch-error';
import { failed, succeeded, type Claimed, type DispatchContext, type HandlerResult } from './handler-types';

type UpdateCommand = Claimed<'salesforce.update'>;

/**
 * An update creates no record: when a duplicate rule refuses one, the record it names already
 * exists next to this one (e.g. a Lead conversion made a second Contact with the same e-mail), and
 * refusing the edit only keeps the two CRMs apart. Rules set to "Allow with alert" ask an API save
 * to acknowledge the alert (reference addendum 6.2): the record is sent once more on its own with
 * `Sforce-Duplicate-Rule-Header: allowSave=true`, which such a rule lets through and a Block rule
 * still refuses (that refusal is the dead letter, naming the matched records).
 */
export async function resendAcknowledgingAlert(object: string, c: UpdateCommand, ctx: DispatchContext): Promise<HandlerResult> {
  try {
    ctx.countRequests('salesforce', 1);
    await ctx.salesforce.update(object, c.command.salesforceId, c.command.fields, { allowDuplicates: true });
    return succeeded(c.command.values ?? {}, [], { salesforceId: c.command.salesforceId, duplicateAlertAcknowledged: true });
  } catch (error) {
    return failed(toDispatchError(error));
  }
}
