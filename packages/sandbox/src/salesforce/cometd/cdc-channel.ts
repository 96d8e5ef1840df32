/**
 * CDC channel names (reference 5.5): `/data/ChangeEvents` carries every CDC-enabled entity,
 * `/data/<Object>ChangeEvent` one standard object, `/data/<Name>__ChangeEvent` the custom object `<Name>__c`.
 * Names are case-sensitive.
 */
export const ALL_CHANGE_EVENTS_CHANNEL = '/data/ChangeEvents';

/** What a subscription receives: every enabled entity, or one. */
export type ChannelScope = { kind: 'all' } | { kind: 'entity'; entityName: string };

export function channelForEntity(entityName: string): string {
  return entityName.endsWith('__c') ? `/data/${entityName.slice(0, -1)}ChangeEvent` : `/data/${entityName}ChangeEvent`;
}

/** The scope of a channel, or null when no such channel exists for the enabled entities. */
export function resolveChannel(channel: string, cdcEntities: readonly string[]): ChannelScope | null {
  if (channel === ALL_CHANGE_EVENTS_CHANNEL) return { kind: 'all' };
  const match = /^\/data\/([A-Za-z][A-Za-z0-9_]*)ChangeEvent$/.exec(channel);
  if (!match) return null;
  const stem = match[1]!;
  // Custom objects drop the `c` of `__c`: `/data/Grant__cChangeEvent` is not a channel.
  if (stem.endsWith('__c')) return null;
  const entityName = stem.endsWith('__') ? `${stem}c` : stem;
  return cdcEntities.includes(entityName) ? { kind: 'entity', entityName } : null;
}
