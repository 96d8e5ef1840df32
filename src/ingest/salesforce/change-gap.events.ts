import { streams, type NewEvent } from '../../event-store';

export type ChangeGapReason = 'replay_id_expired' | 'resubscribed_from_tip';

export interface ChangeGap {
  object: string;
  channel: string;
  /** Unique per gap: the source event ids of the pair derive from it, so a retried append adds nothing. */
  key: string;
  reason: ChangeGapReason;
  /** Changes since then may have been missed (null: since ever). */
  from: string | null;
  to: Date;
}

/** A missed stretch of a channel: the gap for the audit, and the catch-up request that repairs it. */
export function changeGapEvents(gap: ChangeGap): NewEvent[] {
  const common = { stream: streams.salesforceObject(gap.object), origin: 'unknown' as const, occurredAt: gap.to };
  return [
    {
      ...common,
      type: 'salesforce.change_gap',
      source: 'salesforce',
      sourceEventId: gap.key,
      payload: { objects: [gap.object], recordIds: [], reason: gap.reason, channel: gap.channel, from: gap.from, to: gap.to.toISOString() },
    },
    {
      ...common,
      type: 'system.catch_up_requested',
      source: 'system',
      sourceEventId: `catch-up:${gap.key}`,
      payload: { objects: [gap.object], recordIds: [], sinceModstamp: gap.from, reason: gap.reason },
    },
  ];
}
