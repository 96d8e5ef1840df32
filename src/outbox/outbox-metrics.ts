import { counter, histogram } from '../observability/metrics-registry';

/** Outcomes are metrics too (style lesson 13): per command kind, and API requests spent on commands. */
export const outboxMetrics = {
  dispatched: counter('crm_sync_outbox_commands_dispatched_total', 'Command attempts sent by the dispatcher', ['kind']),
  succeeded: counter('crm_sync_outbox_commands_succeeded_total', 'Commands that succeeded', ['kind']),
  failed: counter('crm_sync_outbox_commands_failed_total', 'Command attempts that failed (retried or dead-lettered)', ['kind', 'code']),
  deadLettered: counter('crm_sync_outbox_commands_dead_lettered_total', 'Commands that became dead letters', ['kind', 'code']),
  latency: histogram(
    'crm_sync_outbox_dispatch_latency_seconds',
    'From the command being written (decision committed) to its outcome recorded',
    ['kind'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  ),
  claimsLost: counter('crm_sync_outbox_claims_lost_total', 'Claimed commands not sent (before_send) or not finished (while_sending) because the claim may have been taken over; during_send: writes that outlived their lease (may overlap a takeover)', ['stage']),
  staleOutcomes: counter('crm_sync_outbox_stale_outcomes_total', 'Outcomes of sends whose claim was taken over meanwhile: logged, not recorded as the command\'s result', ['kind', 'status']),
  batchSize: histogram('crm_sync_outbox_batch_size', 'Commands claimed per dispatch batch', [], [1, 2, 5, 10, 25, 50, 100, 200, 500]),
  apiRequests: counter('crm_sync_outbox_api_requests_total', 'API requests the dispatcher made for commands', ['target']),
  requestsPerCommand: histogram('crm_sync_outbox_api_requests_per_command', 'API requests per command, averaged over each batch', [], [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5]),
};
