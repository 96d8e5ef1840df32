export * from './events';
export * from './payloads/monday-webhook';
export * from './payloads/salesforce-change';
export * from './payloads/sync-results';
export * from './payloads/duplicate-merge';
export * from './payloads/user-directory';
export { appendEvent, appendEvents, EVENTS_CHANNEL, type AppendResult } from './append';
export { payloadProtection, usePayloadProtection, type PayloadProtection } from './payload-protection';
export { BatchingAppender } from './batching-appender';
export { readBatch, readBatchFast, readEventAt, readStream, START, type Checkpoint } from './read-batch';
export { readLogPages, ReplayReadTimeout } from './read-log-pages';
export { lockCheckpoint, saveCheckpoint, resetCheckpoint, readCheckpoint } from './checkpoints';
export { EventNotifications } from './event-notifications';
export { LeaderLock } from './leader-lock';
export {
  SubscriptionRunner,
  SystemicFailureError,
  type ParkedRetryResult,
  type Subscriber,
  type SubscriptionOptions,
  type SubscriptionStatus,
} from './subscription-runner';
export {
  countParkedEvents,
  findParkedEvent,
  listParkedEvents,
  openParkedPositions,
  parkEvent,
  parkedErrorOf,
  requestParkedRetry,
  type ParkedError,
  type ParkedEvent,
} from './parked-events';
export { isTransientDatabaseError } from './transient-error';
export type { Queryable } from './queryable';
export { countSucceededCommandsByVia, eventHeadersAt, type EventHeader } from './event-lookups';
export { newestEvent, newestOccurredAt, countEvents, countEventsAfter, hasEventsAfter, checkpointStatus, eventsOfStreams, type StoredEventRow } from './log-status';
