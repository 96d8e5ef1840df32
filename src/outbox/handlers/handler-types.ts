import type { NewEvent } from '../../event-store/events';
import type { SalesforceValue } from '../../mapping/converters/converter.types';
import type { MondayPort } from '../../monday/monday.port';
import type { ResolvedMapping } from '../../mapping/resolved-mapping';
import type { SalesforcePort } from '../../salesforce/salesforce.port';
import type { ClaimedCommand, CommandProgress } from '../claim';
import type { DispatchError } from '../dispatch-error';
import type { OutboxCommand, OutboxCommandKind } from '../../sync-commands/outbox-command';

/** A claimed command of one kind (handlers are typed by the kinds they take). */
export type Claimed<K extends OutboxCommandKind> = ClaimedCommand & { command: Extract<OutboxCommand, { kind: K }> };

/** The outcome of one command's attempt, as a value (style lesson 4). */
export type HandlerResult =
  | {
      ok: true;
      /** Field key -> value written, in Salesforce form. */
      written: Record<string, SalesforceValue>;
      /** e.g. the id of a created record and how it was found. */
      result?: Record<string, unknown>;
      /** Facts learned on the way (record linked, snapshots), appended with the outcome. */
      events: NewEvent[];
    }
  | { ok: false; error: DispatchError; events: NewEvent[] };

export type HandlerResults = Map<number, HandlerResult>;

/** What handlers may use: the two ports, the mapping (optional), a clock, progress and request counting. */
export interface DispatchContext {
  salesforce: SalesforcePort;
  monday: MondayPort;
  mapping: ResolvedMapping | null;
  now(): Date;
  /** When this batch began to be sent: every write of it landed after this. */
  sentAt: Date;
  /** Stores partial progress of a claimed command (survives a retry). */
  saveProgress(claimed: ClaimedCommand, progress: CommandProgress): Promise<boolean>;
  /** Counts API requests made for commands (metric: requests per command). */
  countRequests(target: 'salesforce' | 'monday', requests: number): void;
  /** The integration user's Salesforce id (cached after the first call). */
  salesforceUserId(): Promise<string>;
  /** The monday user behind our token (`me.id`; cached after the first call that succeeds). */
  mondayUserId(): Promise<string>;
  /** Which of these monday items the sync already links to a record (item id -> 18-char Salesforce Id). */
  linkedItems(itemIds: readonly string[]): Promise<Map<string, string>>;
}

export function succeeded(written: Record<string, SalesforceValue>, events: NewEvent[] = [], result?: Record<string, unknown>): HandlerResult {
  return result ? { ok: true, written, events, result } : { ok: true, written, events };
}

export function failed(error: DispatchError, events: NewEvent[] = []): HandlerResult {
  return { ok: false, error, events };
}
