import { EmulatorContext } from '../context';
import { AutomationRule } from '../cdc/automation-rules';
import { GapEventOptions } from '../cometd/gap-change-event';
import { normalizeId } from '../ids/salesforce-id';
import { OrgSnapshot } from '../org';
import { convertLead, LeadConvertResult } from '../soap/lead-conversion';
import { SObjectRecord } from '../store/record-store';
import { SaveOutcome } from '../store/record-writer';
import { WriteContext } from '../store/transaction';
import { FaultSpec } from './fault-injector';
import { RequestLogEntry } from './request-log';

export interface SeedRecord {
  type: string;
  fields: Record<string, unknown>;
}

export interface HumanEditOptions {
  /** The user making the change (default: the admin user). */
  userId?: string;
}

/**
 * The emulator's test and demo controls, in process. The same operations are served over HTTP under
 * `/__sandbox/` (a path real Salesforce does not have) by control-routes.ts.
 */
export class SalesforceControl {
  constructor(private readonly ctx: EmulatorContext) {}

  // --- a human in the Salesforce UI: no client, empty changeOrigin -------------------------------

  createAsHuman(type: string, fields: Record<string, unknown>, options: HumanEditOptions = {}): SaveOutcome {
    return this.ctx.org.transact(this.human(options), (tx) => this.ctx.org.writer.create(tx, type, fields));
  }

  updateAsHuman(type: string, id: string, fields: Record<string, unknown>, options: HumanEditOptions = {}): SaveOutcome {
    return this.ctx.org.transact(this.human(options), (tx) => this.ctx.org.writer.update(tx, type, id, fields));
  }

  deleteAsHuman(type: string, id: string, options: HumanEditOptions = {}): SaveOutcome {
    return this.ctx.org.transact(this.human(options), (tx) => this.ctx.org.writer.delete(tx, type, id));
  }

  undeleteAsHuman(id: string, options: HumanEditOptions = {}): SaveOutcome {
    return this.ctx.org.transact(this.human(options), (tx) => this.ctx.org.writer.undelete(tx, id));
  }

  /** A person converting a Lead in the UI (Account, Contact, Opportunity created; the Lead read-only from then on). */
  convertLeadAsHuman(leadId: string, options: HumanEditOptions = {}): LeadConvertResult {
    return this.ctx.org.transact(this.human(options), (tx) => convertLead(this.ctx, tx, { leadId, convertedStatus: 'Closed - Converted' }));
  }

  private human(options: HumanEditOptions): WriteContext {
    return { userId: options.userId ?? this.ctx.users.adminUserId, changeOrigin: '', client: null };
  }

  // --- data ---------------------------------------------------------------------------------------

  /**
   * Inserts records as pre-existing data: validated like API inserts, but no change events (they
   * predate every subscriber) and read-only fields such as CreatedDate may be given. Returns the ids;
   * throws on the first invalid record (seeding is all or nothing).
   */
  seed(records: SeedRecord[], options: HumanEditOptions = {}): string[] {
    return this.ctx.org.transact(
      this.human(options),
      (tx) =>
        records.map((r) => {
          const outcome = this.ctx.org.writer.create(tx, r.type, r.fields, 'seed');
          if (!outcome.ok) {
            throw new Error(`seed ${r.type}: ${outcome.errors.map((e) => `${e.errorCode} ${e.message}`).join('; ')}`);
          }
          return outcome.id;
        }),
      { silent: true },
    );
  }

  /** A record by id (15 or 18 characters), deleted ones included; a copy. */
  getRecord(id: string): { attributes: { type: string } } & SObjectRecord | undefined {
    const normalized = normalizeId(id);
    const found = normalized ? this.ctx.org.store.get(normalized) : undefined;
    if (!found) return undefined;
    return Object.assign({ attributes: { type: found.schema.name } }, found.record);
  }

  /** All live records of an object (copies). */
  records(type: string, options: { includeDeleted?: boolean } = {}): SObjectRecord[] {
    const schema = this.ctx.org.registry.get(type);
    if (!schema) throw new Error(`unknown sObject ${type}`);
    return [...this.ctx.org.store.table(schema.name).values()]
      .filter((r) => options.includeDeleted || r.IsDeleted !== true)
      .map((r) => ({ ...r }));
  }

  snapshot(): OrgSnapshot {
    return this.ctx.org.snapshot();
  }

  restore(snapshot: OrgSnapshot): void {
    this.ctx.org.restore(snapshot);
  }

  // --- requests, faults, time, sessions, limits ---------------------------------------------------

  requests(): RequestLogEntry[] {
    return this.ctx.requestLog.list();
  }

  clearRequests(): void {
    this.ctx.requestLog.clear();
  }

  injectFault(spec: FaultSpec): number {
    return this.ctx.faults.add(spec);
  }

  faults(): FaultSpec[] {
    return this.ctx.faults.list();
  }

  clearFaults(): void {
    this.ctx.faults.clear();
  }

  advanceClock(ms: number): void {
    this.ctx.clock.advance(ms);
  }

  now(): number {
    return this.ctx.clock.now();
  }

  expireSessions(): void {
    this.ctx.sessions.expireAll();
  }

  setTokenLifetime(ms: number): void {
    this.ctx.sessions.tokenLifetimeMs = ms;
  }

  /** A refresh token as if the user had completed the web-server OAuth flow. */
  issueRefreshToken(userId: string = this.ctx.users.integrationUserId): string {
    return this.ctx.sessions.issueRefreshToken(userId, this.ctx.credentials.clientId);
  }

  apiUsage(): { used: number; max: number } {
    return { used: this.ctx.usage.used, max: this.ctx.usage.max };
  }

  setApiUsage(update: { used?: number; max?: number }): void {
    if (update.used !== undefined) this.ctx.usage.used = update.used;
    if (update.max !== undefined) this.ctx.usage.max = update.max;
  }

  // --- change data capture ------------------------------------------------------------------------

  injectGap(entityName: string, recordIds: string[], options?: GapEventOptions): void {
    this.cometd().injectGap(entityName, recordIds, options);
  }

  injectOverflow(entityName: string): void {
    this.cometd().injectOverflow(entityName);
  }

  /** Fault: an admin deselects (or selects again) an entity for Change Data Capture. */
  setChangeDataCapture(entityName: string, enabled: boolean): void {
    this.ctx.org.setCdcEnabled(entityName, enabled);
  }

  dropCometdClients(): void {
    this.cometd().dropAllClients();
  }

  /** Every change event retained so far expires (as after 72 hours), the clock unmoved: stored replay ids become invalid. */
  expireChangeEvents(): void {
    this.ctx.org.log.expireRetained();
  }

  /** Fault: the next `count` CometD subscribes find their client dropped since its handshake (403::Unknown client). */
  dropCometdClientsAtSubscribe(count: number): void {
    this.cometd().dropClientsAtSubscribe(count);
  }

  /** CDC redelivery: every subscription gets its last `count` events again. */
  redeliverChangeEvents(count: number): void {
    this.cometd().redeliver(count);
  }

  /** CDC reordering across channels: `channel`'s events are held back for `realMs` while the others flow. */
  holdChangeEventChannel(channel: string, realMs: number): void {
    this.cometd().holdChannel(channel, realMs);
  }

  connectedCometdClients(): number {
    return this.ctx.cometd?.connectedClients() ?? 0;
  }

  private cometd() {
    if (!this.ctx.cometd) throw new Error('CometD is not mounted on this emulator');
    return this.ctx.cometd;
  }

  // --- simulated flows ----------------------------------------------------------------------------

  addAutomation(rule: AutomationRule): void {
    this.ctx.org.addAutomation(rule);
  }

  removeAutomation(id: string): void {
    this.ctx.org.removeAutomation(id);
  }

  clearAutomations(): void {
    this.ctx.org.clearAutomations();
  }
}
