import { html, raw, type SafeHtml } from '../html';
import type { UsageSample } from '../console-queries';

const WIDTH = 480;
const HEIGHT = 120;
const DAY_MS = 86_400_000;

/**
 * An inline SVG line of the last 24 hours of usage: against the allocation when it is known (the
 * dashed line is the allocation), else against the highest sample. Built from numbers only.
 */
export function usageChart(label: string, samples: readonly UsageSample[], now = Date.now()): SafeHtml {
  if (samples.length === 0) return html`<p class="muted">No ${label} usage sampled in the last 24 hours yet (one sample a minute once the service has called the API).</p>`;
  const allocation = samples.at(-1)?.allocation ?? null;
  const top = Math.max(allocation ?? 0, ...samples.map((s) => s.used), 1);
  const x = (at: Date) => (((at.getTime() - (now - DAY_MS)) / DAY_MS) * WIDTH).toFixed(1);
  const y = (used: number) => (HEIGHT - (used / top) * HEIGHT).toFixed(1);
  const points = samples.map((s) => `${x(s.at)},${y(s.used)}`).join(' ');
  const last = samples[samples.length - 1];
  const floorLine = allocation ? `<line x1="0" x2="${WIDTH}" y1="${y(allocation * 0.8)}" y2="${y(allocation * 0.8)}" class="warn-line"/>` : '';
  const svg = `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" class="chart" role="img">
<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" class="chart-bg"/>${floorLine}
<polyline points="${points}" class="usage-line"/></svg>`;
  return html`<figure>${raw(svg)}<figcaption>${label}: ${last.used}${allocation ? ` of ${allocation} (${Math.round((100 * last.used) / allocation)}%)` : ''} now; last 24 hours${allocation ? ', dashed line at 80%' : ''}.</figcaption></figure>`;
}
