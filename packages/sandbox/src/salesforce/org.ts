import { Clock } from '../clock';
import { buildChangeEvents } from './cdc/change-event-builder';
import { AutomationRule, ruleMatches } from './cdc/automation-rules';
import { ChangeEventLog } from './cometd/change-event-log';
import { DuplicateRules } from './duplicates/duplicate-rules';
import { IdGenerator } from './ids/salesforce-id';
import { SchemaRegistry } from './schema/schema-registry';
import { RecordStore, StoreSnapshot } from './store/record-store';
import { RecordWriter } from './store/record-writer';
import { Transaction, WriteContext } from './store/transaction';

export interface OrgSnapshot extends StoreSnapshot {
  idCounters: Record<string, number>;
}

export const DEFAULT_CDC_ENTITIES = ['Lead', 'Contact', 'Account', 'Opportunity', 'Grant__c'];

/**
 * The org's data plane: schema, records, DML and the change events every committed transaction
 * produces. HTTP routes, SOAP, bulk jobs and the control API all write through `transact`.
 */
export class SalesforceOrg {
  readonly registry = new SchemaRegistry();
  readonly store = new RecordStore(this.registry);
  ids = new IdGenerator();
  /** The org's active duplicate rules (standard ones by default; control API changes them). */
  readonly duplicateRules = new DuplicateRules();
  writer: RecordWriter;
  private readonly automations = new Map<string, AutomationRule>();
  private commitCounter = 0;
  private readonly cdcEntities: Set<string>;
  /** Set once the built-in users exist; automations run as this user. */
  automationUserId = '';
  private readonly writeListeners = new Set<() => void>();

  constructor(
    readonly clock: Clock,
    readonly log: ChangeEventLog,
    cdcEntities: string[] = DEFAULT_CDC_ENTITIES,
  ) {
    this.cdcEntities = new Set(cdcEntities);
    this.writer = new RecordWriter(this.store, this.registry, this.ids, clock, this.duplicateRules);
  }

  cdcEnabledEntities(): string[] {
    return [...this.cdcEntities];
  }

  /**
   * Setup > Change Data Capture: selects or deselects an entity. Deselected, its changes publish no
   * event and a subscribe to its channel is refused (`400::The channel ... does not exist`); a
   * subscription made before keeps its session but receives nothing.
   */
  setCdcEnabled(entityName: string, enabled: boolean): void {
    if (!this.registry.get(entityName)) throw new Error(`unknown sObject ${entityName}`);
    if (enabled) this.cdcEntities.add(entityName);
    else this.cdcEntities.delete(entityName);
  }

  /**
   * Runs `work` as one transaction: on a throw everything is rolled back, otherwise committed.
   * `silent` (seeding) commits without change events, as for data that predates every subscriber.
   */
  transact<T>(context: WriteContext, work: (tx: Transaction) => T, options: { silent?: boolean } = {}): T {
    const tx = new Transaction(context);
    let result: T;
    try {
      result = work(tx);
    } catch (err) {
      tx.rollback();
      throw err;
    }
    if (options.silent) this.notifyWrite();
    else this.commit(tx);
    return result;
  }

  private commit(tx: Transaction): void {
    if (tx.changes.size === 0) return;
    this.commitCounter++;
    const events = buildChangeEvents(tx, this.store, (e) => this.cdcEntities.has(e), {
      timestamp: this.clock.now(),
      number: 1_100_638_524_517 + this.commitCounter * 7,
    });
    if (events.length > 0) this.log.append(events);
    this.notifyWrite();
    this.runAutomations(tx);
  }

  private runAutomations(tx: Transaction): void {
    if (this.automations.size === 0) return;
    const { client, changeOrigin } = tx.context;
    for (const change of tx.changes.values()) {
      for (const rule of this.automations.values()) {
        if (!ruleMatches(rule, change.schema.name, change.changeType, client, changeOrigin)) continue;
        const current = this.store.get(change.id)?.record;
        if (!current || current.IsDeleted === true) continue;
        const values = typeof rule.set === 'function' ? rule.set({ ...current }) : rule.set;
        this.transact({ userId: this.automationUserId, changeOrigin: '', client: null }, (auto) => {
          this.writer.update(auto, change.schema.name, change.id, values);
        });
      }
    }
  }

  addAutomation(rule: AutomationRule): void {
    this.automations.set(rule.id, rule);
  }

  removeAutomation(id: string): void {
    this.automations.delete(id);
  }

  clearAutomations(): void {
    this.automations.clear();
  }

  listAutomations(): AutomationRule[] {
    return [...this.automations.values()];
  }

  private notifyWrite(): void {
    for (const l of this.writeListeners) l();
  }

  onWrite(listener: () => void): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  snapshot(): OrgSnapshot {
    return { ...this.store.snapshot(), idCounters: this.ids.state() };
  }

  restore(snapshot: OrgSnapshot): void {
    this.store.restore(snapshot);
    this.ids = new IdGenerator(snapshot.idCounters);
    this.writer = new RecordWriter(this.store, this.registry, this.ids, this.clock, this.duplicateRules);
  }
}
