import type { RecordedEvent } from '../../src/event-store';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';
import { copyRecord } from '../../src/sync-projector/decision';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { RecordBatch } from '../../src/sync-projector/record-batch';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import { collectKeys, decideEvents } from '../../src/sync-projector/sync-projector';
import { isLinked, type SyncRecord } from '../../src/sync-projector/sync-record';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import type { ResolvedMapping } from '../../src/mapping/resolved-mapping';

/**
 * The sync projector's runner without Postgres: sync_records as a list, one `handle` per batch as
 * SyncProjector.handle does it (the batch's records loaded by their keys, the waiting ones at the
 * first new link, then saved), so tests choose batch boundaries, roll a batch back (its transaction
 * failed: nothing of it is kept, the next attempt decides it again) and start instances whose link
 * index is loaded from what is committed at that moment.
 */
export class InMemoryProjection {
  records: SyncRecord[] = [];
  /** Commands of committed batches, in order. */
  readonly commands: OutboxCommand[] = [];
  private nextId = 1;

  constructor(readonly mapping: ResolvedMapping) {}

  /** An instance's links as it loads them at start (sync-engine's prepareSync: loadLinks). */
  instance(): { links: LinkIndex; context: SyncContext } {
    const links = new LinkIndex();
    for (const record of this.records) if (isLinked(record)) links.add(record.objectKey, record.salesforceId as string, record.mondayItemId as string);
    return { links, context: { mapping: this.mapping, links, users: new EmailUserDirectory() } };
  }

  /** `on` takes the lead: the links committed since it loaded its index are added (SyncProjector.leading). */
  lead(on: { links: LinkIndex }): void {
    for (const record of this.records) if (isLinked(record)) on.links.add(record.objectKey, record.salesforceId as string, record.mondayItemId as string);
  }

  /** One batch; `rollBack`: its transaction fails after the decisions (a Postgres restart, a lost lock). */
  async handle(events: RecordedEvent[], on: { links: LinkIndex; context: SyncContext }, rollBack = false): Promise<OutboxCommand[]> {
    const keys = collectKeys(events, on.context);
    const loaded = this.records.filter(
      (r) =>
        (r.mondayItemId !== null && keys.itemIds.includes(r.mondayItemId)) ||
        (r.salesforceId !== null && keys.salesforce.some((k) => k.objectKey === r.objectKey && k.salesforceId === r.salesforceId)) ||
        (r.id !== null && keys.recordIds.includes(r.id)),
    );
    const batch = new RecordBatch(loaded.map(copyRecord));
    const stored = () => Promise.resolve(this.records.filter((r) => r.waiting.length > 0).map(copyRecord));
    const { commands } = await decideEvents(events, batch, on.context, on.links, stored);
    if (rollBack) return [];
    const retired = new Set(batch.retiredIds());
    this.records = this.records.filter((r) => r.id === null || !retired.has(r.id));
    for (const record of batch.changed()) {
      if (record.id === null) record.id = this.nextId++;
      const at = this.records.findIndex((r) => r.id === record.id);
      if (at >= 0) this.records[at] = record;
      else this.records.push(record);
    }
    const decided = commands.map((c) => c.command);
    this.commands.push(...decided);
    return decided;
  }

  record(objectKey: string, mondayItemId: string): SyncRecord | undefined {
    return this.records.find((r) => r.objectKey === objectKey && r.mondayItemId === mondayItemId);
  }
}
