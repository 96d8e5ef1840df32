import type { RecordLinks } from '../mapping/converters/converter.types';

/**
 * In-memory view of the links (monday item <-> Salesforce record per object key), so the reference
 * converters can look them up inside a pure decide. Loaded from sync_records at start and updated
 * by the runner as links appear; links are facts that are never unmade, so an update from a batch
 * that was rolled back is simply made again when the batch is retried.
 */
export class LinkIndex implements RecordLinks {
  private readonly itemBySalesforce = new Map<string, string>();
  private readonly salesforceByItem = new Map<string, string>();

  add(objectKey: string, salesforceId: string, itemId: string): void {
    this.itemBySalesforce.set(`${objectKey}:${salesforceId}`, itemId);
    this.salesforceByItem.set(`${objectKey}:${itemId}`, salesforceId);
  }

  clear(): void {
    this.itemBySalesforce.clear();
    this.salesforceByItem.clear();
  }

  itemIdForRecord(objectKey: string, salesforceId18: string): string | undefined {
    return this.itemBySalesforce.get(`${objectKey}:${salesforceId18}`);
  }

  recordIdForItem(objectKey: string, itemId: string): string | undefined {
    return this.salesforceByItem.get(`${objectKey}:${itemId}`);
  }

  get size(): number {
    return this.itemBySalesforce.size;
  }
}
