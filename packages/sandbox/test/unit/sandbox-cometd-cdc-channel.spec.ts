import { channelForEntity, resolveChannel } from '../../src/salesforce/cometd/cdc-channel';

const ENABLED = ['Lead', 'Account', 'Grant__c'];

describe('CDC channel names (reference 5.5)', () => {
  it('names standard objects /data/<Object>ChangeEvent and custom objects /data/<Name>__ChangeEvent', () => {
    expect(channelForEntity('Lead')).toBe('/data/LeadChangeEvent');
    expect(channelForEntity('Grant__c')).toBe('/data/Grant__ChangeEvent');
  });

  it('resolves the standard channel to every enabled entity and per-object channels to their entity', () => {
    expect(resolveChannel('/data/ChangeEvents', ENABLED)).toEqual({ kind: 'all' });
    expect(resolveChannel('/data/AccountChangeEvent', ENABLED)).toEqual({ kind: 'entity', entityName: 'Account' });
    expect(resolveChannel('/data/Grant__ChangeEvent', ENABLED)).toEqual({ kind: 'entity', entityName: 'Grant__c' });
  });

  it('knows no channel for entities without CDC, wrong case, PushTopics or the custom object API name', () => {
    expect(resolveChannel('/data/ContactChangeEvent', ENABLED)).toBeNull();
    expect(resolveChannel('/data/leadChangeEvent', ENABLED)).toBeNull();
    expect(resolveChannel('/data/changeevents', ENABLED)).toBeNull();
    expect(resolveChannel('/topic/LeadUpdates', ENABLED)).toBeNull();
    expect(resolveChannel('/data/Grant__cChangeEvent', ENABLED)).toBeNull();
  });
});
