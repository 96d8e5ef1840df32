import { Gauge } from 'prom-client';
import type { Logger } from 'pino';
import type { ParkedEventNotifier } from '../alerts/parked-event-alert';
import { countParkedEvents, type ParkedEvent } from '../event-store/parked-events';
import type { Queryable } from '../event-store/queryable';
import type { CheckResult } from '../observability/health-registry';
import { counter, metricsRegistry } from '../observability/metrics-registry';

const parkedTotal = counter('crm_sync_parked_events_total', 'Events a subscriber could not handle and set aside (parked), by subscriber and event type', ['subscriber', 'type']);

/** Where the open-parked gauge reads its value at scrape time (the last monitor created). */
let countSource: Queryable | null = null;

const OPEN_GAUGE = 'crm_sync_parked_events';
if (!metricsRegistry.getSingleMetric(OPEN_GAUGE)) {
  new Gauge({
    name: OPEN_GAUGE,
    help: 'Parked events not resolved yet, by subscriber (GET /admin/parked-events)',
    labelNames: ['subscriber'],
    registers: [metricsRegistry],
    async collect() {
      if (!countSource) return;
      try {
        const counts = await countParkedEvents(countSource);
        this.reset();
        this.set({ subscriber: 'sync' }, 0);
        for (const [subscriber, n] of counts) this.set({ subscriber }, n);
      } catch {
        // Postgres unreachable: the database health check says so; keep the last value.
      }
    },
  });
}

/**
 * What happens around a parked event: a log line with the error and stack, an alert, the metrics,
 * and a /health check that shows how many are parked without failing: the pipeline is running, and
 * an orchestrator restarting the service could not help; an operator can (GET /admin/parked-events).
 */
export class ParkedEventsMonitor {
  constructor(
    private readonly db: Queryable,
    private readonly logger: Logger,
    private readonly alerts: ParkedEventNotifier | null,
  ) {
    countSource = db;
  }

  readonly onParked = (parked: ParkedEvent): void => {
    parkedTotal.inc({ subscriber: parked.subscriber, type: parked.eventType });
    this.logger.error(
      { subscriber: parked.subscriber, position: parked.position, type: parked.eventType, records: parked.recordKeys, err: parked.error.message, stack: parked.error.stack },
      'event could not be handled and was parked; processing goes on (GET /admin/parked-events, then POST /admin/parked-events/:position/retry after a fix)',
    );
    this.alerts?.parked(parked);
  };

  async check(): Promise<CheckResult> {
    const counts = await countParkedEvents(this.db);
    const parked = [...counts.values()].reduce((a, b) => a + b, 0);
    if (parked === 0) return { ok: true, detail: { parked: 0 } };
    return {
      ok: true,
      detail: {
        parked,
        bySubscriber: Object.fromEntries(counts),
        warning: `${parked} event(s) could not be decided and were set aside; the sync goes on without them: GET /admin/parked-events, retry after a fix`,
      },
    };
  }

  async close(): Promise<void> {
    await this.alerts?.close();
  }
}
