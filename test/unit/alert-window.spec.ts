import pino from 'pino';
import { AlertBroadcaster, AlertWindow } from '../../src/alerts/alert-broadcaster';
import type { AlertChannel } from '../../src/alerts/alert-channels';

describe('alerts: one rate window and one broadcaster for every kind of alert', () => {
  it('lets the first `burst` items through and summarises the rest once when the window ends', () => {
    const summaries: number[][] = [];
    const window = new AlertWindow<number>(2, 60_000, (held) => summaries.push(held));
    expect([1, 2, 3, 4, 5].map((n) => window.admit(n))).toEqual([true, true, false, false, false]);
    window.end();
    expect(summaries).toEqual([[3, 4, 5]]);
    // A new window starts afresh, and an empty one summarises nothing.
    expect(window.admit(6)).toBe(true);
    window.end();
    expect(summaries).toHaveLength(1);
  });

  it('scrubs configured secrets and token shapes from every message, and a failing channel stops nothing', async () => {
    const sent: string[] = [];
    const ok: AlertChannel = { name: 'ok', send: async (text) => void sent.push(text) };
    const broken: AlertChannel = { name: 'broken', send: async () => Promise.reject(new Error('down')) };
    const out = new AlertBroadcaster([broken, ok], pino({ level: 'silent' }), ['hunter2-secret']);
    out.send('password hunter2-secret leaked');
    await out.idle();
    expect(sent).toEqual(['password [redacted] leaked']);
  });
});
