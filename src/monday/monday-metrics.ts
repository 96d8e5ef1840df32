import { counter, gauge, histogram } from '../observability/metrics-registry';

/** API calls per operation and outcome (an error code or `ok`): the "API calls per synced record" numerator. */
export const mondayRequests = counter('crm_sync_monday_requests_total', 'monday API requests by operation and outcome', ['operation', 'outcome']);

export const mondayRequestSeconds = histogram('crm_sync_monday_request_seconds', 'monday API request duration', ['operation'], [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]);

export const mondayMutations = counter('crm_sync_monday_mutations_total', 'monday mutations sent in batches, by kind and outcome', ['kind', 'outcome']);

export const mondayComplexityRemaining = gauge('crm_sync_monday_complexity_remaining', 'complexity budget left in the current window, as monday last reported it');

export const mondayComplexityCost = counter('crm_sync_monday_complexity_points_total', 'complexity points spent, as monday reported them', ['operation']);

export const mondayThrottled = counter('crm_sync_monday_throttled_total', 'requests monday throttled, by limit', ['limit']);

export const mondayCursorRestarts = counter('crm_sync_monday_cursor_restarts_total', 'items_page streams restarted after a cursor expired');
