/**
 * The public surface of @crm-sync/sandbox: what a service or a test may import. Everything else under
 * src/ is internal and may change with the emulators. The names both emulators share (FaultSpec,
 * FaultKind, RequestLogEntry) are exported with a Monday/Salesforce prefix.
 */
export { ScaledClock, type Clock } from './clock';
export { startSandbox, type SandboxEnvironment, type SandboxOptions } from './sandbox-environment';

export {
  startMondayEmulator,
  DEFAULT_SIGNING_SECRET,
  DEMO_BOARDS,
  DEMO_USERS,
  INTEGRATION_USER_ID,
  seedDemoBoards,
  type MondayEmulator,
  type MondayEmulatorOptions,
  type RateLimitOptions,
  type WebhookOptions,
  type ComplexityCosts,
  type BulkImportOptions,
  type MondayControl,
  type SeedItem,
  type Actor,
  type FaultSpec as MondayFaultSpec,
  type FaultKind as MondayFaultKind,
  type RequestLogEntry as MondayRequestLogEntry,
  type DeliveryRecord,
  type DeliveryStats,
  type BoardSpec,
  type ColumnSpec,
  type GroupSpec,
  type StateSnapshot,
  type ItemRecord,
  type BoardRecord,
  type UserRecord,
} from './monday';
export { ACCOUNT_USERS } from './monday/account-users';
export { statusSettings, type StatusSettings } from './monday/column-types/status-labels';
export { dropdownSettings } from './monday/column-types/dropdown-column';
export { boardRelationSettings, type BoardRelationSettings } from './monday/column-types/board-relation-column';

export {
  startSalesforceEmulator,
  seedDemoOrg,
  SalesforceControl,
  to18,
  normalizeId,
  type SalesforceEmulator,
  type SalesforceEmulatorOptions,
  type SeedRecord,
  type HumanEditOptions,
  type FaultSpec as SalesforceFaultSpec,
  type FaultKind as SalesforceFaultKind,
  type RequestLogEntry as SalesforceRequestLogEntry,
  type AutomationRule,
  type EmulatorCredentials,
} from './salesforce';
export type { SObjectRecord } from './salesforce/store/record-store';
export type { ChangeEventLog, ChangeEventPayload, ChangeType, RetainedChangeEvent } from './salesforce/cometd/change-event-log';
export { InMemoryChangeEventLog } from './salesforce/cometd/in-memory-change-event-log';
export { registerCometd, type CometdControl, type CometdOptions } from './salesforce/cometd/register-cometd';
export { describeObject } from './salesforce/schema/describe';
export { SchemaRegistry } from './salesforce/schema/schema-registry';
