import type { Queryable } from '../event-store/queryable';
import { isSalesforceId, to18 } from '../mapping/salesforce-id';
import { linkedItemIdOf } from '../sync-projector/record-lookups';
import type { SandboxBindings, SyncBindings } from './operator-bindings';
import { DEMO_TARGET_STAGE, type DemoState } from './views/demo';

export class DemoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoError';
  }
}

/**
 * The demo panel's human edits, made through the emulators' control APIs (/__sandbox, see
 * packages/sandbox/README.md) exactly as a person's edit in each CRM: a new Opportunity in Salesforce, then
 * its stage moved on monday. Reads go to the same control APIs and to the sync's own records.
 */
export class SandboxDemo {
  constructor(
    private readonly sandbox: SandboxBindings,
    private readonly sync: SyncBindings | null,
    private readonly db: Queryable,
  ) {}

  async createInSalesforce(name: string): Promise<string> {
    const closeDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const outcome = await this.control<{ ok: boolean; id?: string; errors?: Array<{ message: string }> }>(`${this.sandbox.salesforceUrl}/__sandbox/records/Opportunity`, {
      fields: { Name: name, StageName: 'Follow-up', CloseDate: closeDate },
    });
    if (!outcome.ok || !outcome.id) throw new DemoError(`Salesforce refused the opportunity: ${outcome.errors?.map((e) => e.message).join('; ') ?? 'no reason given'}`);
    return outcome.id;
  }

  async moveOnMonday(itemId: string): Promise<void> {
    if (!/^\d{1,20}$/.test(itemId)) throw new DemoError('not a monday item id');
    await this.control(`${this.sandbox.mondayUrl}/__sandbox/items/${itemId}/column-values`, { columnValues: { [this.stageColumn()]: { label: DEMO_TARGET_STAGE } } });
  }

  async state(salesforceId: string, moved: boolean): Promise<DemoState> {
    if (!isSalesforceId(salesforceId)) throw new DemoError('not a Salesforce Id');
    const id = to18(salesforceId);
    const record = await this.read<Record<string, unknown> | null>(`${this.sandbox.salesforceUrl}/__sandbox/records/Opportunity/${id}`);
    const itemId = await linkedItemIdOf(this.db, id);
    let monday: DemoState['monday'] = null;
    if (itemId && this.sync) {
      const [item] = await this.sync.monday.itemsByIds([itemId], { columnIds: [this.stageColumn()] });
      if (item) monday = { name: item.name, stage: item.columnValues.find((c) => c.id === this.stageColumn())?.text ?? null };
    }
    return {
      salesforceId: id,
      salesforce: record ? { name: stringOrNull(record.Name), stage: stringOrNull(record.StageName) } : null,
      mondayItemId: itemId,
      monday,
      movedTo: moved ? DEMO_TARGET_STAGE : null,
    };
  }

  private stageColumn(): string {
    const object = this.sync?.mapping.bySalesforceObject.get('Opportunity');
    const field = object?.fieldsBySalesforceName.get('StageName')?.[0];
    if (!field) throw new DemoError('the demo needs the demo mapping (an Opportunity object with StageName mapped)');
    return field.key;
  }

  private async control<T>(url: string, body: unknown): Promise<T> {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    const answer = (await response.json().catch(() => null)) as T;
    if (!response.ok && (answer === null || typeof answer !== 'object' || !('ok' in answer))) throw new DemoError(`the emulator answered HTTP ${response.status}`);
    return answer;
  }

  private async read<T>(url: string): Promise<T> {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (response.status === 404) return null as T;
    if (!response.ok) throw new DemoError(`the emulator answered HTTP ${response.status}`);
    return (await response.json()) as T;
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
