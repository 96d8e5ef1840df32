import type { RecordLinks } from '../mapping/converters/converter.types';

/**
 * In-memory view of the links (monday item <-> Salesforce record per object key), so the reference
 * converters can look them up inside a pure decide. Loaded from sync_records at start and updated
 * by the runner as links appear; links are facts that are never unmade, so an update from a batch
 * that was rolled back is simply made again when the batch is retried.
 */
export class LinkIndex implements RecordLinks {
  /** By object key, then id: no key string built per look-up (the projector looks up every event). */
  private readonly itemBySalesforce = new Map<string, Map<string, string>>();
  private readonly salesforceByItem = new Map<string, Map<string, string>>();
  private links = 0;

  add(objectKey: string, salesforceId: string, itemId: string): void {
    const items = inner(this.itemBySalesforce, objectKey);
    if (!items.has(salesforceId)) this.links++;
    items.set(salesforceId, itemId);
    inner(this.salesforceByItem, objectKey).set(itemId, salesforceId);
  }

  clear(): void {
    this.itemBySalesforce.clear();
    this.salesforceByItem.clear();
    this.links = 0;
  }

  itemIdForRecord(objectKey: string, salesforceId18: string): string | undefined {
    return this.itemBySalesforce.get(objectKey)?.get(salesforceId18);
  }

  recordIdForItem(objectKey: string, itemId: string): string | undefined {
    return this.salesforceByItem.get(objectKey)?.get(itemId);
  }

  get size(): number {
    return this.links;
  }
}

function inner(maps: Map<string, Map<string, string>>, objectKey: string): Map<string, string> {
  let map = maps.get(objectKey);
  if (!map) maps.set(objectKey, (map = new Map()));
  return map;
}
