import type { Clock } from '../clock';
import { ActivityLog } from './activity-log';
import { BoardActions } from './board-actions';
import { DEFAULT_BULK_IMPORT } from './bulk-import/bulk-import-options';
import { BulkImportService } from './bulk-import/bulk-import-service';
import type { BoardEvent } from './board-events';
import type { ColumnContext } from './column-types/column-type';
import { FaultInjector } from './control/faults';
import type { ComplexityCosts, MondayEmulatorOptions, RateLimitOptions, WebhookOptions } from './emulator-options';
import { DEFAULT_COSTS, DEFAULT_LIMITS, DEFAULT_WEBHOOKS } from './emulator-options';
import { ItemActions } from './item-actions';
import { CursorStore } from './items-query/cursor-store';
import { SeededRandom } from './random';
import type { ColumnRecord } from './state/model';
import { MondayStore } from './state/store';
import { DeliveryQueue } from './webhooks/delivery-queue';
import { WebhookService } from './webhooks/webhook-service';

export interface AccountInfo {
  id: number;
  name: string;
  slug: string;
  tier: string;
  /** `country_code`: the account's country, ISO 3166-1 alpha-2 (a US account, like the demo org). */
  country_code: string | null;
}

export const ACCOUNT: AccountInfo = { id: 24_012_689, name: 'CRM Sync Demo', slug: 'crm-sync-demo', tier: 'enterprise', country_code: 'US' };

/** Everything the GraphQL layer, the control API and the HTTP layer share. */
export class EmulatorCore {
  readonly store = new MondayStore();
  readonly random: SeededRandom;
  readonly faults: FaultInjector;
  readonly items: ItemActions;
  readonly boards: BoardActions;
  readonly cursors: CursorStore;
  readonly queue: DeliveryQueue;
  readonly webhooks: WebhookService;
  readonly bulkImport: BulkImportService;
  readonly activityLog: ActivityLog;
  readonly limits: RateLimitOptions;
  readonly costs: ComplexityCosts;
  readonly webhookOptions: WebhookOptions;
  readonly account = ACCOUNT;
  private readonly changeListeners: Array<() => void> = [];
  private muted = 0;

  constructor(
    readonly clock: Clock,
    readonly signingSecret: string,
    readonly options: MondayEmulatorOptions,
  ) {
    const seed = options.randomSeed ?? 20_261_101;
    this.random = new SeededRandom(seed);
    this.faults = new FaultInjector(seed + 1);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.costs = { ...DEFAULT_COSTS, ...options.costs, mutations: { ...DEFAULT_COSTS.mutations, ...options.costs?.mutations } };
    this.webhookOptions = { ...DEFAULT_WEBHOOKS, ...options.webhooks };
    const emit = (event: BoardEvent): void => this.onBoardEvent(event);
    this.items = new ItemActions(this.store, clock, emit);
    this.boards = new BoardActions(this.store, clock, this.random, emit);
    this.cursors = new CursorStore(clock, this.random);
    this.queue = new DeliveryQueue(clock, this.webhookOptions, signingSecret, this.account.id, this.faults);
    this.webhooks = new WebhookService(this.store, clock, this.queue, this.account.id, signingSecret, this.webhookOptions.requestTimeoutMs, (c) =>
      this.columnContext(c, 'dev'),
    );
    this.activityLog = new ActivityLog(this.store, clock, this.account.id, seed + 2);
    this.bulkImport = new BulkImportService(this, { ...DEFAULT_BULK_IMPORT, ...options.bulkImport });
  }

  columnContext(column: ColumnRecord, apiVersion: string): ColumnContext {
    return { column, users: this.store.users, items: this.store.items, boards: this.store.boards, createLabelsIfMissing: false, apiVersion };
  }

  /** Called after every state change (persistence hooks in here). */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  notifyChanged(): void {
    for (const l of this.changeListeners) l();
  }

  /** Runs `fn` without webhooks or activity log entries (seeding data is not a board event anyone subscribed to). */
  silently<T>(fn: () => T): T {
    this.muted += 1;
    try {
      return fn();
    } finally {
      this.muted -= 1;
      this.notifyChanged();
    }
  }

  private onBoardEvent(event: BoardEvent): void {
    if (this.muted === 0) {
      this.activityLog.record(event);
      this.webhooks.onBoardEvent(event);
    }
    this.notifyChanged();
  }
}
