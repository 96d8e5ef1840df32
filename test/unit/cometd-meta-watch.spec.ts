import { MetaWatchExtension, type MetaEvent } from '../../src/salesforce/cdc/cometd-extensions';
import type { BayeuxMessage } from '../../src/salesforce/cdc/faye-client';

const LEADS = '/data/LeadChangeEvent';
const UNKNOWN = { error: '403::Unknown client', successful: false, advice: { interval: 0, reconnect: 'handshake' } };

function watch(): { events: MetaEvent[]; send(message: BayeuxMessage): void; receive(message: Partial<BayeuxMessage>): void } {
  const events: MetaEvent[] = [];
  const extension = new MetaWatchExtension(LEADS, (event) => events.push(event));
  return {
    events,
    send: (message) => extension.outgoing(message, () => undefined),
    receive: (message) => extension.incoming(message as BayeuxMessage, () => undefined),
  };
}

describe('MetaWatchExtension: which request a meta reply answers', () => {
  it("an Unknown client reply without channel or subscription (Salesforce's shape) to a subscribe is told apart from one to a connect by its id", () => {
    const w = watch();
    w.send({ channel: '/meta/subscribe', id: '5', subscription: LEADS });
    w.send({ channel: '/meta/connect', id: '6' });
    w.receive({ ...UNKNOWN, id: '5' });
    w.receive({ ...UNKNOWN, id: '6' });
    expect(w.events).toEqual([
      { kind: 'unknown_client', error: '403::Unknown client', during: 'subscribe' },
      { kind: 'unknown_client', error: '403::Unknown client', during: 'connect' },
    ]);
  });

  it('a subscribe reply without subscription still reports the channel subscribed or refused', () => {
    const w = watch();
    w.send({ channel: '/meta/subscribe', id: '1', subscription: LEADS });
    w.send({ channel: '/meta/subscribe', id: '2', subscription: LEADS });
    w.receive({ channel: '/meta/subscribe', id: '1', successful: true });
    w.receive({ id: '2', successful: false, error: '400::The replayId {5} you provided was invalid' });
    expect(w.events).toEqual([{ kind: 'subscribed' }, { kind: 'subscribe_failed', error: '400::The replayId {5} you provided was invalid' }]);
  });

  it('an Unknown client reply matching no request sent is a connect-side one (faye re-handshakes and resubscribes)', () => {
    const w = watch();
    w.receive({ channel: '/meta/connect', ...UNKNOWN });
    expect(w.events).toEqual([{ kind: 'unknown_client', error: '403::Unknown client', during: 'connect' }]);
  });
});
