import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry for the process. Metrics are declared next to the code they measure with
 * the get-or-create helpers below, so a test that builds the app twice in one process does not hit
 * "metric already registered".
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'crm_sync_process_' });

type Labels<L extends string> = readonly L[];

export function counter<L extends string>(name: string, help: string, labelNames: Labels<L> = []): Counter<L> {
  const existing = metricsRegistry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [metricsRegistry] });
}

export function gauge<L extends string>(name: string, help: string, labelNames: Labels<L> = []): Gauge<L> {
  const existing = metricsRegistry.getSingleMetric(name);
  if (existing) return existing as Gauge<L>;
  return new Gauge({ name, help, labelNames, registers: [metricsRegistry] });
}

export function histogram<L extends string>(name: string, help: string, labelNames: Labels<L> = [], buckets?: number[]): Histogram<L> {
  const existing = metricsRegistry.getSingleMetric(name);
  if (existing) return existing as Histogram<L>;
  return new Histogram({ name, help, labelNames, ...(buckets ? { buckets } : {}), registers: [metricsRegistry] });
}
