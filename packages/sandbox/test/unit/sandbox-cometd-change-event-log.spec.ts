import { ScaledClock } from '../../src/clock';
import type { ChangeEventPayload } from '../../src/salesforce/cometd/change-event-log';
import { InMemoryChangeEventLog } from '../../src/salesforce/cometd/in-memory-change-event-log';

const HOUR = 3600_000;

function leadCreated(recordId: string): { schema: string; payload: ChangeEventPayload } {
  return {
    schema: 'LeadSchema',
    payload: {
      ChangeEventHeader: {
        entityName: 'Lead',
        recordIds: [recordId],
        changeType: 'CREATE',
        changeOrigin: '',
        transactionKey: `tx-${recordId}`,
        sequenceNumber: 1,
        commitTimestamp: 0,
        commitNumber: 1,
        commitUser: '005000000000000AAA',
        changedFields: [],
      },
      LastName: recordId,
    },
  };
}

function appendLeads(log: InMemoryChangeEventLog, count: number, prefix = 'L'): number[] {
  return Array.from({ length: count }, (_, index) => log.append([leadCreated(`${prefix}${index}`)])[0]!.replayId);
}

function ids(result: ReturnType<InMemoryChangeEventLog['readAfter']>): number[] | 'invalid' {
  return result === 'invalid' ? result : result.map((event) => event.replayId);
}

describe('InMemoryChangeEventLog (reference 5.3: replay ids and retention)', () => {
  it('issues increasing replay ids that are not contiguous', () => {
    const log = new InMemoryChangeEventLog(new ScaledClock());
    const replayIds = appendLeads(log, 50);
    const steps = replayIds.slice(1).map((id, index) => id - replayIds[index]!);
    expect(steps.every((step) => step > 0)).toBe(true);
    expect(steps.some((step) => step > 1)).toBe(true);
    expect(log.latestReplayId()).toBe(replayIds[49]);
  });

  it('keeps the events of one append in order with their payloads', () => {
    const log = new InMemoryChangeEventLog(new ScaledClock());
    const retained = log.append([leadCreated('A'), leadCreated('B')]);
    expect(retained.map((event) => event.payload.LastName)).toEqual(['A', 'B']);
    expect(retained[1]!.replayId).toBeGreaterThan(retained[0]!.replayId);
    expect(ids(log.readAfter(-2, 10))).toEqual(retained.map((event) => event.replayId));
  });

  it('reads exactly the events after a retained id, oldest first, up to the limit', () => {
    const log = new InMemoryChangeEventLog(new ScaledClock());
    const replayIds = appendLeads(log, 10);
    expect(ids(log.readAfter(replayIds[3]!, 100))).toEqual(replayIds.slice(4));
    expect(ids(log.readAfter(replayIds[3]!, 2))).toEqual(replayIds.slice(4, 6));
  });

  it('answers -1 with nothing and -2 with every retained event', () => {
    const log = new InMemoryChangeEventLog(new ScaledClock());
    const replayIds = appendLeads(log, 5);
    expect(ids(log.readAfter(-1, 100))).toEqual([]);
    expect(ids(log.readAfter(-2, 100))).toEqual(replayIds);
  });

  it('accepts the newest id ever issued, also on an empty log (0), as "caught up"', () => {
    const log = new InMemoryChangeEventLog(new ScaledClock());
    expect(ids(log.readAfter(0, 10))).toEqual([]);
    const replayIds = appendLeads(log, 3);
    expect(ids(log.readAfter(replayIds[2]!, 10))).toEqual([]);
  });

  it('calls an id that was never issued invalid, including one between two issued ids', () => {
    const log = new InMemoryChangeEventLog(new ScaledClock());
    const replayIds = appendLeads(log, 20);
    const gapIndex = replayIds.findIndex((id, index) => index > 0 && id - replayIds[index - 1]! > 1);
    expect(log.readAfter(replayIds[gapIndex]! - 1, 10)).toBe('invalid');
    expect(log.readAfter(replayIds[19]! + 1000, 10)).toBe('invalid');
    expect(log.readAfter(-3, 10)).toBe('invalid');
  });

  it('expires events after the retention window of the emulated clock, making their ids invalid', () => {
    const clock = new ScaledClock();
    const log = new InMemoryChangeEventLog(clock, 72 * HOUR);
    const old = appendLeads(log, 3, 'old');
    clock.advance(48 * HOUR);
    const recent = appendLeads(log, 2, 'new');
    clock.advance(25 * HOUR);

    expect(log.readAfter(old[0]!, 10)).toBe('invalid');
    expect(ids(log.readAfter(-2, 10))).toEqual(recent);
    expect(ids(log.readAfter(recent[0]!, 10))).toEqual([recent[1]]);
    expect(log.retainedCount()).toBe(2);
  });

  it('expireRetained: the events so far expire as after the retention window, the clock unmoved, and later ones are retained', () => {
    const clock = new ScaledClock(1, Date.parse('2026-01-01T00:00:00Z'));
    const log = new InMemoryChangeEventLog(clock, 72 * HOUR);
    const old = appendLeads(log, 3, 'old');
    const before = clock.now();
    log.expireRetained();
    const recent = appendLeads(log, 2, 'new');

    expect(clock.now() - before).toBeLessThan(HOUR);
    expect(log.readAfter(old[0]!, 10)).toBe('invalid');
    expect(ids(log.readAfter(-2, 10))).toEqual(recent);
    expect(log.retainedCount()).toBe(2);
  });

  it('still treats the newest id as caught up after everything expired', () => {
    const clock = new ScaledClock();
    const log = new InMemoryChangeEventLog(clock, HOUR);
    const replayIds = appendLeads(log, 2);
    clock.advance(2 * HOUR);
    expect(ids(log.readAfter(replayIds[1]!, 10))).toEqual([]);
    expect(log.readAfter(replayIds[0]!, 10)).toBe('invalid');
    expect(log.retainedCount()).toBe(0);
  });

  it('bounds memory by retention while ids keep growing across many expiries', () => {
    const clock = new ScaledClock();
    const log = new InMemoryChangeEventLog(clock, HOUR);
    let last = 0;
    for (let round = 0; round < 5; round += 1) {
      const replayIds = appendLeads(log, 3000, `r${round}`);
      expect(replayIds[0]!).toBeGreaterThan(last);
      last = replayIds[replayIds.length - 1]!;
      clock.advance(2 * HOUR);
    }
    expect(log.retainedCount()).toBe(0);
    const fresh = appendLeads(log, 2, 'fresh');
    expect(ids(log.readAfter(-2, 10))).toEqual(fresh);
  });

  it('notifies append listeners until they unsubscribe', () => {
    const log = new InMemoryChangeEventLog(new ScaledClock());
    const calls: string[] = [];
    const stop = log.onAppend(() => calls.push('appended'));
    appendLeads(log, 2);
    stop();
    appendLeads(log, 1);
    expect(calls).toEqual(['appended', 'appended']);
  });
});
