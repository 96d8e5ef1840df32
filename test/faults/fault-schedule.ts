import { SeededRandom } from '../support/random-edits';

/**
 * The faults a schedule can hold (issue 20). Besides these, every schedule runs with about 10% of
 * requests to both CRMs failing (5xx, 429, lock/limit errors) and with duplicated webhook deliveries.
 */
export type FaultKind =
  /** kill -9 of a random instance at a random moment. */
  | 'kill_random'
  /** kill -9 while a command is in flight: the remote write was sent (held at the emulator), its outcome not recorded. */
  | 'kill_in_flight'
  /** kill -9 of the projector leader right after a burst of edits: inside a projector batch. */
  | 'kill_projector_batch'
  /** kill -9 of the instance holding the leader locks. */
  | 'kill_leader'
  /** Postgres stopped (connections terminated), down for the outage, started again. */
  | 'postgres_restart'
  /** Salesforce commits a write, then the connection is destroyed without an answer. */
  | 'salesforce_lost_response'
  /** monday applies a mutation, then the connection is destroyed without an answer. */
  | 'monday_lost_response'
  /** Every Salesforce session is revoked: the next call answers INVALID_SESSION_ID. */
  | 'session_revoked'
  /** CometD clients dropped (re-handshake, resubscribe from the stored replay id) and already delivered events sent again. */
  | 'cdc_redelivery'
  /** One CDC channel's events held back while others flow: delivered out of commit order across channels. */
  | 'cdc_reorder'
  /** monday's API down and webhooks refused for 41 emulated minutes (past monday's 30 minutes of retries), then the catch-up. */
  | 'monday_outage'
  /** Every instance down while Salesforce changes, then the retained change events expire (as after 72 h): the stored replay id is invalid. */
  | 'replay_expired';

export const FAULT_KINDS: readonly FaultKind[] = [
  'kill_random',
  'kill_in_flight',
  'kill_projector_batch',
  'kill_leader',
  'postgres_restart',
  'salesforce_lost_response',
  'monday_lost_response',
  'session_revoked',
  'cdc_redelivery',
  'cdc_reorder',
  'monday_outage',
  'replay_expired',
];

export interface ScheduledFault {
  /** Injected after this many human edits. */
  afterEdit: number;
  kind: FaultKind;
}

export interface FaultSchedule {
  seed: number;
  edits: number;
  faults: ScheduledFault[];
  /** How many copies a duplicated webhook delivery arrives in (3-46). */
  webhookCopies: number;
  /** Share of monday requests answered 5xx / 429 / resource-protection, and of Salesforce writes refused. */
  errorRatio: number;
}

/** The schedule of one seed: the same seed always gives the same schedule. */
export function drawSchedule(seed: number, options: { edits: number; faults: number }): FaultSchedule {
  const random = new SeededRandom(seed * 7919 + 17);
  const kinds = [...FAULT_KINDS];
  const chosen: FaultKind[] = [];
  while (chosen.length < Math.min(options.faults, kinds.length)) {
    const kind = kinds.splice(random.int(0, kinds.length - 1), 1)[0];
    chosen.push(kind);
  }
  const faults = chosen
    .map((kind) => ({ kind, afterEdit: random.int(Math.floor(options.edits * 0.1), Math.floor(options.edits * 0.9)) }))
    .sort((a, b) => a.afterEdit - b.afterEdit);
  return { seed, edits: options.edits, faults, webhookCopies: random.int(3, 46), errorRatio: 0.1 };
}

export function describeSchedule(schedule: FaultSchedule): string {
  return schedule.faults.map((f) => `${f.kind}@${f.afterEdit}`).join(', ');
}
