/**
 * How the sync projector ended an event (invariant 11): projected, skipped with a reason, or
 * dead-lettered. Stored in sync_decisions, so the reason is queryable per record.
 */
export type SkipReason =
  | 'own_echo'
  | 'unmapped_board'
  | 'unmapped_object'
  | 'unmapped_column'
  | 'unchanged_value'
  | 'authority'
  | 'stale'
  | 'not_linked_yet'
  | 'waiting_for_link'
  /** A person the user directory does not know yet: the value waits in the record for a refresh that adds them. */
  | 'waiting_for_user'
  | 'condition_false'
  | 'create_disabled'
  | 'already_linked'
  | 'already_creating'
  | 'deleted_record'
  | 'not_synced_event'
  /** A converted Lead is read-only in Salesforce: its item follows the Contact/Opportunity. */
  | 'converted_lead'
  /** The value is an erased person's (crm-sync erase): nothing to sync. */
  | 'erased_value';

export type Outcome =
  | { outcome: 'projected'; reason?: string; detail?: Record<string, unknown> }
  | { outcome: 'skipped'; reason: SkipReason; detail?: Record<string, unknown> }
  | { outcome: 'dead_lettered'; reason: string; detail?: Record<string, unknown> };

export const projected = (reason?: string, detail?: Record<string, unknown>): Outcome => ({ outcome: 'projected', reason, detail });
export const skipped = (reason: SkipReason, detail?: Record<string, unknown>): Outcome => ({ outcome: 'skipped', reason, detail });
export const deadLettered = (reason: string, detail?: Record<string, unknown>): Outcome => ({ outcome: 'dead_lettered', reason, detail });
