import type { DispatchError } from './dispatch-error';

/**
 * THE failure policy (style lesson 5): one place maps a failed command's error code to what happens
 * next. Pure: the dispatcher records the action in the same UPDATE that records the failure, and
 * Postgres draws the jitter inside the window given here (style lesson 10).
 */
export type FailureAction =
  | {
      action: 'retry';
      /** rate_limited: the CRM said when; backoff: exponential; reauth: the client refreshed its session, try again soon. */
      why: 'rate_limited' | 'backoff' | 'reauth';
      /** The command becomes available again after a delay drawn uniformly from this window. */
      delay: { minMs: number; maxMs: number };
    }
  | {
      action: 'dead_letter';
      /** permanent: retrying cannot help; gave_up: a retryable failure that kept failing. */
      why: 'permanent' | 'gave_up';
      /** What an operator should do, naming the field, the value and the fix when known. */
      hint: string;
    };

export interface FailureContext {
  /** Attempts made so far, this one included (1 after the first failure). */
  attempts: number;
  /** The mapping object the command belongs to (for hints). */
  objectKey?: string;
  /** Where the rejected field is mapped, e.g. `objects.lead.fields[3]` (for hints). */
  fieldPath?: string;
  /** The CRM the command writes to (for hints). */
  target?: 'salesforce' | 'monday';
  /** The command's kind, e.g. `salesforce.update`. */
  commandKind?: string;
}

/** Commands that change fields of a record that exists on both sides. */
const UPDATE_KINDS = new Set(['salesforce.update', 'monday.change_columns']);

export interface FailurePolicyOptions {
  /** Attempts for TRANSIENT, ROW_LOCKED, SESSION_EXPIRED and unexpected failures before dead-lettering. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How soon to retry after the session expired (the Salesforce client refreshes by itself). */
  reauthDelayMs: number;
  /** When a CRM throttles without saying for how long. */
  rateLimitFallbackMs: number;
  /** Throttling is not the command's fault: it gets far more patience, but still a bound. */
  maxRateLimitedAttempts: number;
}

export const DEFAULT_FAILURE_POLICY: FailurePolicyOptions = {
  maxAttempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  reauthDelayMs: 1_000,
  rateLimitFallbackMs: 60_000,
  maxRateLimitedAttempts: 100,
};

const RETRY_HINT = 'then POST /admin/dead-letters/<id>/retry';

export function decideFailure(error: DispatchError, context: FailureContext, options: FailurePolicyOptions = DEFAULT_FAILURE_POLICY): FailureAction {
  switch (error.code) {
    case 'RATE_LIMITED':
    case 'BUDGET_FLOOR_REACHED': {
      if (context.attempts >= options.maxRateLimitedAttempts) return gaveUp(error, context);
      const wait = error.retryAfterMs ?? options.rateLimitFallbackMs;
      // A little spread so commands throttled together do not all come back in the same millisecond.
      return { action: 'retry', why: 'rate_limited', delay: { minMs: wait, maxMs: Math.ceil(wait * 1.1) + 50 } };
    }
    case 'SESSION_EXPIRED':
      if (context.attempts >= options.maxAttempts) return gaveUp(error, context);
      if (context.attempts === 1) return { action: 'retry', why: 'reauth', delay: { minMs: options.reauthDelayMs, maxMs: options.reauthDelayMs } };
      return backoff(context.attempts, options);
    case 'TRANSIENT':
    case 'ROW_LOCKED':
    case 'CURSOR_EXPIRED':
    case 'UNEXPECTED':
    case 'LEASE_LOST': // never settled by the dispatcher (the claim's new owner settles it); a retry if it were
      if (context.attempts >= options.maxAttempts) return gaveUp(error, context);
      return backoff(context.attempts, options);
    case 'VALIDATION':
      return permanent(validationHint(error, context));
    case 'DUPLICATE':
      if (error.target === 'salesforce' && error.crmCode === 'DUPLICATES_DETECTED' && context.commandKind === 'salesforce.update') {
        return permanent(`a Salesforce duplicate rule set to Block refuses this update (the record would match another one): merge the duplicates in Salesforce or relax the rule, ${RETRY_HINT}`);
      }
      return permanent(
        `${error.target === 'salesforce' ? 'Salesforce' : 'monday'} refused a duplicate${error.field ? ` (field ${error.field})` : ''}: ` +
          `add match fields to objects.${context.objectKey ?? '<object>'}.match so the existing record is linked instead, or merge the duplicates, ${RETRY_HINT}`,
      );
    case 'NOT_FOUND':
    case 'DELETED':
      // A person deleted the record while our update waited or flew: the delete's own event (CDC,
      // webhook) is usually moments behind. Retried, the update meets the tombstone and is dropped
      // unsent; only a record that stays missing, with no delete seen, becomes a dead letter.
      if (context.commandKind && UPDATE_KINDS.has(context.commandKind) && context.attempts < options.maxAttempts) return backoff(context.attempts, options);
      return permanent(`the target record no longer exists (deleted or not visible to the integration user): restore it and ${RETRY_HINT}, or leave this dead letter`);
    case 'AMBIGUOUS_MATCH':
      if (context.target === 'monday') {
        return permanent(
          `several items of the board have the match values of objects.${context.objectKey ?? '<object>'}.match: archive or merge the duplicate items, ` +
            `or put the record's Id into the Salesforce Id column of the right one, ${RETRY_HINT}`,
        );
      }
      return permanent(
        `several records have the match values of objects.${context.objectKey ?? '<object>'}.match: merge the duplicates in Salesforce, ` +
          `or put the right Id into the item's Salesforce Id column, ${RETRY_HINT}`,
      );
    case 'AUTH_FAILED':
    case 'UNAUTHORIZED':
      return permanent(`the ${error.target} credentials were refused or lack permission for this action: fix the credentials or the integration user's permissions, ${RETRY_HINT}`);
    case 'PERMANENT':
      return permanent(`${error.target} refused the request${error.crmCode ? ` (${error.crmCode})` : ''}: fix the cause named in the message, ${RETRY_HINT}`);
    case 'INVALID_COMMAND':
      return permanent('the stored command cannot be dispatched (a bug or a row from an older version): report it with this dead letter');
    case 'INTERNAL_ERROR':
      return permanent(`crm-sync failed on this command (a bug, not the CRM; retrying the same code cannot help): report it with this dead letter's error, and after the fix is deployed ${RETRY_HINT.replace('then ', '')}`);
    default:
      return assertNeverCode(error.code);
  }
}

/** Capped exponential backoff: attempt n waits between half and all of min(cap, base * 2^(n-1)). */
export function backoffWindow(attempts: number, options: Pick<FailurePolicyOptions, 'baseDelayMs' | 'maxDelayMs'>): { minMs: number; maxMs: number } {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const maxMs = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
  return { minMs: Math.floor(maxMs / 2), maxMs };
}

function backoff(attempts: number, options: FailurePolicyOptions): FailureAction {
  return { action: 'retry', why: 'backoff', delay: backoffWindow(attempts, options) };
}

function permanent(hint: string): FailureAction {
  return { action: 'dead_letter', why: 'permanent', hint };
}

function gaveUp(error: DispatchError, context: FailureContext): FailureAction {
  return {
    action: 'dead_letter',
    why: 'gave_up',
    hint: `gave up after ${context.attempts} attempts (${error.code}): check that ${error.target === 'dispatcher' ? 'both CRMs are' : `${error.target} is`} reachable and within its limits, ${RETRY_HINT}`,
  };
}

function validationHint(error: DispatchError, context: FailureContext): string {
  const where = context.fieldPath ?? (context.objectKey ? `the field of objects.${context.objectKey}.fields mapped to ${error.field ?? 'it'}` : 'the mapping');
  if (error.target === 'monday' && error.field && error.value !== undefined) {
    return (
      `monday column ${error.field} does not accept ${quote(error.value)}: add ${quote(error.value)} to the values map of ${where} ` +
      `or enable createLabelsIfMissing there (or add the label on the board), ${RETRY_HINT}`
    );
  }
  if (error.crmCode === 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' && error.field) {
    const value = error.value ?? '<value>';
    return (
      `Salesforce field ${error.field} is a restricted picklist that does not accept ${quote(value)}: add ${quote(value)} to the values map of ${where} ` +
      `(mapping it to an allowed picklist value), or add the value to the picklist in Salesforce, ${RETRY_HINT}`
    );
  }
  if (error.crmCode === 'REQUIRED_FIELD_MISSING') {
    return `Salesforce requires ${error.field ?? 'a field'} that the item does not fill: map it in objects.${context.objectKey ?? '<object>'}.fields or fill it on the item, ${RETRY_HINT}`;
  }
  const field = error.field ? ` for ${error.target === 'monday' ? 'column' : 'field'} ${error.field}` : '';
  return `${error.target} rejected the value${field}: fix the data or ${where}, ${RETRY_HINT}`;
}

function quote(value: string): string {
  return `'${value}'`;
}

function assertNeverCode(code: never): never {
  throw new Error(`failure policy: unhandled error code ${String(code)}`);
}
