import type { MondayPort } from '../monday/monday.port';
import type { SalesforcePort } from '../salesforce/salesforce.port';
import { runWithWriteDeadline, type WriteDeadline } from '../sync-commands/write-deadline';

/** The port methods that change a CRM: each is a send, made only while the claim is surely ours. */
const SALESFORCE_WRITES = ['create', 'update', 'upsert', 'delete', 'createMany', 'updateMany', 'upsertMany', 'deleteMany', 'convertLead', 'merge'] as const satisfies ReadonlyArray<keyof SalesforcePort>;
const MONDAY_WRITES = ['createItem', 'changeColumnValues', 'renameItem', 'deleteItem', 'archiveItem', 'applyMutations'] as const satisfies ReadonlyArray<keyof MondayPort>;

export interface WriteGuard {
  /** Rejects with LeaseLostError unless the claim surely holds long enough for a write. */
  beforeWrite(): Promise<void>;
  /** After a write answered or failed: reports it when the claim may have been taken over meanwhile. */
  afterWrite(): void;
  /** What is left of the claim's lease: each request of a write ends before it (the CRM clients read it). */
  deadline: WriteDeadline;
}

/**
 * The ports as one claim's handlers see them: every write is checked before it starts, runs under the
 * claim's deadline (no request of it outlives the lease) and is checked after it ends (a write that
 * outlived the lease anyway would be counted, never silent); reads pass through.
 */
export function leaseGuardedPorts(ports: { salesforce: SalesforcePort; monday: MondayPort }, guard: WriteGuard): { salesforce: SalesforcePort; monday: MondayPort } {
  return { salesforce: guardWrites(ports.salesforce, SALESFORCE_WRITES, guard), monday: guardWrites(ports.monday, MONDAY_WRITES, guard) };
}

function guardWrites<T extends object>(port: T, writes: ReadonlyArray<keyof T>, guard: WriteGuard): T {
  const guarded = new Set<PropertyKey>(writes);
  return new Proxy(port, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!guarded.has(key)) return method.bind(target);
      return async (...args: unknown[]) => {
        await guard.beforeWrite();
        try {
          return await runWithWriteDeadline(guard.deadline, async () => method.apply(target, args));
        } finally {
          guard.afterWrite();
        }
      };
    },
  });
}
