import pino from 'pino';
import { IncidentTracker, currentIncidents, type AlertChannel, type OperationalSnapshot } from '../../src/alerts';

class RecordingChannel implements AlertChannel {
  readonly name = 'recording';
  readonly texts: string[] = [];
  async send(text: string): Promise<void> {
    this.texts.push(text);
  }
}

const quiet = pino({ level: 'silent' });

const healthy: OperationalSnapshot = {
  cdc: { leader: true, channels: [{ channel: '/data/LeadChangeEvent', status: 'subscribed', reason: null, message: null }], pendingCatchUps: 0 },
  projector: { running: true, leader: true, lastError: null },
  salesforce: { healthy: true, reason: null, usage: { used: 100, limit: 15000, remaining: 14900 }, floor: 3000 },
  monday: { callsToday: 10, dailyLimitReachedUntil: null, dailyCallLimit: 1000 },
};

describe('operational incidents', () => {
  it('a healthy service has no incident', () => {
    expect(currentIncidents(healthy)).toEqual([]);
  });

  it('names every operator incident with what to do', () => {
    const broken: OperationalSnapshot = {
      cdc: { leader: true, channels: [{ channel: '/data/LeadChangeEvent', status: 'failed', reason: 'auth_failed', message: 'gave up' }, { channel: '/data/ContactChangeEvent', status: 'subscribed', reason: 'replay_id_invalid', message: null }], pendingCatchUps: 1 },
      projector: { running: true, leader: true, lastError: 'TypeError: boom' },
      salesforce: { healthy: false, reason: 'session refresh gave up after 3 attempts: invalid_client', usage: { used: 12500, limit: 15000, remaining: 2500 }, floor: 3000 },
      monday: { callsToday: 850, dailyLimitReachedUntil: Date.UTC(2030, 0, 2), dailyCallLimit: 1000 },
    };
    const incidents = currentIncidents(broken);
    expect(incidents.map((i) => i.key).sort()).toEqual([
      'cdc:/data/LeadChangeEvent:stopped',
      'cdc:replay-position-lost',
      'monday:api-budget:80',
      'monday:api-budget:floor',
      'projector:sync:error',
      'salesforce:api-budget:80',
      'salesforce:api-budget:floor',
      'salesforce:session',
    ]);
    for (const incident of incidents) expect(incident.action.length).toBeGreaterThan(20);
    expect(incidents.find((i) => i.key === 'salesforce:session')?.title).toContain('invalid_client');
    expect(incidents.find((i) => i.key === 'salesforce:api-budget:floor')?.title).toContain('2500 of 15000');
  });

  it('a standby instance does not report the leader-only parts', () => {
    const standby: OperationalSnapshot = { ...healthy, cdc: { leader: false, channels: [], pendingCatchUps: 0 }, projector: { running: true, leader: false, lastError: 'stale' } };
    expect(currentIncidents(standby)).toEqual([]);
  });
});

describe('IncidentTracker', () => {
  const incident = { key: 'salesforce:session', severity: 'critical' as const, title: 'The Salesforce session cannot be refreshed', action: 'check the credentials' };

  it('announces an incident once however often it is seen, and its recovery once', async () => {
    const channel = new RecordingChannel();
    const tracker = new IncidentTracker([channel], quiet);
    tracker.observe('salesforce:', [incident]);
    tracker.observe('salesforce:', [incident]);
    tracker.observe('salesforce:', [incident]);
    tracker.observe('salesforce:', []);
    tracker.observe('salesforce:', []);
    await tracker.close();
    expect(channel.texts).toHaveLength(2);
    expect(channel.texts[0]).toMatch(/^crm-sync PROBLEM: The Salesforce session cannot be refreshed\nWhat to do: check the credentials/);
    expect(channel.texts[1]).toMatch(/^crm-sync RECOVERED: The Salesforce session cannot be refreshed/);
  });

  it('only closes incidents of the scope it observes', async () => {
    const channel = new RecordingChannel();
    const tracker = new IncidentTracker([channel], quiet);
    tracker.raise({ ...incident, key: 'cdc:x:stopped' });
    tracker.observe('salesforce:', []);
    expect(tracker.openIncidents().map((i) => i.key)).toEqual(['cdc:x:stopped']);
    await tracker.close();
  });

  it('rate-limits a storm: the first messages of a window go out, the rest become one summary', async () => {
    const channel = new RecordingChannel();
    const tracker = new IncidentTracker([channel], quiet, { burst: 2, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) tracker.raise({ ...incident, key: `k${i}`, title: `problem ${i}` });
    await tracker.idle();
    expect(channel.texts).toHaveLength(2);
    await tracker.close();
    expect(channel.texts).toHaveLength(3);
    expect(channel.texts[2]).toContain('3 more alert(s) held back');
    expect(channel.texts[2]).toContain('problem 4');
  });

  it('never sends a configured secret', async () => {
    const channel = new RecordingChannel();
    const tracker = new IncidentTracker([channel], quiet, { secretValues: ['s3cret-value'] });
    tracker.raise({ ...incident, title: 'refresh failed: client_secret s3cret-value refused' });
    await tracker.close();
    expect(channel.texts[0]).not.toContain('s3cret-value');
  });
});
