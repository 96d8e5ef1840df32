import type { SyncEvent } from '../event-store/events';
import type { DataKeyStore } from './data-key-store';
import { isEnvelope, openValue, sealValue } from './envelope';
import { erasedValue, markHasErasedValues } from './erased';
import { pathText, personalValuesOf, valueAt, type PersonalFieldPolicy } from './personal-fields';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Encrypts the personal values of events before they are stored and decrypts them when read. The
 * rest of each event stays as it was (readable, queryable: ids, types, times, non-personal fields).
 */
export class PersonalDataProtector {
  constructor(
    readonly keys: DataKeyStore,
    /** Replaced once the mapping is bound (startSyncEngine): its `pii: true` fields join the defaults. */
    public policy: PersonalFieldPolicy,
  ) {}

  /** Copies of the events with their personal values encrypted (events with none are returned as they are). */
  async protect<E extends SyncEvent>(events: readonly E[]): Promise<E[]> {
    const found = events.map((event) => personalValuesOf(event, this.policy));
    if (found.every((f) => f.length === 0)) return events.slice();
    const keys = await this.keys.keysFor(found.flat().map((v) => v.subject));
    const emails: Array<{ subject: string; email: string }> = [];
    const protectedEvents = events.map((event, i) => {
      if (found[i].length === 0) return event;
      const payload = structuredClone(event.payload) as unknown as Record<string, unknown>;
      for (const { subject, path } of found[i]) {
        const value = valueAt(payload, path);
        if (isEnvelope(value)) continue;
        if (typeof value === 'string' && EMAIL.test(value.trim())) emails.push({ subject, email: value });
        const key = keys.get(subject);
        if (!key) throw new Error(`no data key for ${subject}`);
        setAt(payload, path, sealValue(key.key, key.id, subject, pathText(path), value));
      }
      return { ...event, payload } as E;
    });
    await this.keys.rememberEmails(this.keys.pool, emails);
    return protectedEvents;
  }

  /** One value encrypted for a subject outside an event (a rejected webhook's body), as JSON text. */
  async sealText(subject: string, path: string, value: string): Promise<string> {
    const key = await this.keys.keyFor(subject);
    return JSON.stringify(sealValue(key.key, key.id, subject, path, value));
  }

  /** The inverse of sealText; text that is not an envelope is returned as it is, an erased one as null. */
  async openText(text: string, path: string): Promise<string | null> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return text;
    }
    if (!isEnvelope(parsed)) return text;
    const key = await this.keys.keyById(parsed.k);
    return key ? (openValue(key, parsed, path) as string) : null;
  }

  /**
   * Decrypts every envelope in these payloads in place; a value whose key was destroyed becomes
   * the erased marker and its event is marked (hasErasedValues).
   */
  async reveal<E extends { payload: unknown }>(events: E[]): Promise<E[]> {
    const ids: number[] = [];
    for (const event of events) collectKeyIds(event.payload, ids);
    if (ids.length === 0) return events;
    await this.keys.loadByIds(ids);
    for (const event of events) {
      const erased = { found: false };
      event.payload = this.open(event.payload, [], erased) as E['payload'];
      if (erased.found) markHasErasedValues(event);
    }
    return events;
  }

  /** One JSON value (a stored rejected webhook, a derived column): same as reveal. */
  async revealValue(value: unknown): Promise<unknown> {
    const [event] = await this.reveal([{ payload: value }]);
    return event.payload;
  }

  private open(node: unknown, path: Array<string | number>, erased: { found: boolean }): unknown {
    if (node === null || typeof node !== 'object') return node;
    if (isEnvelope(node)) {
      const key = this.keys.cachedKey(node.k);
      if (!key) {
        erased.found = true;
        return erasedValue();
      }
      return openValue(key, node, pathText(path));
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) node[i] = this.open(node[i], [...path, i], erased);
      return node;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = this.open(record[key], [...path, key], erased);
    return record;
  }
}

function collectKeyIds(node: unknown, ids: number[]): void {
  if (node === null || typeof node !== 'object') return;
  if (isEnvelope(node)) {
    ids.push(node.k);
    return;
  }
  for (const child of Array.isArray(node) ? node : Object.values(node)) collectKeyIds(child, ids);
}

function setAt(root: Record<string, unknown>, path: ReadonlyArray<string | number>, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
}
