import type { MondayPort } from '../monday/monday.port';
import type { SalesforcePort } from '../salesforce/salesforce.port';

/** The port methods that change a CRM: each is a send, made only while the claim is surely ours. */
const SALESFORCE_WRITES = ['create', 'update', 'upsert', 'delete', 'createMany', 'updateMany', 'upsertMany', 'deleteMany', 'convertLead', 'merge'] as const satisfies ReadonlyArray<keyof SalesforcePort>;
const MONDAY_WRITES = ['createItem', 'changeColumnValues', 'renameItem', 'deleteItem', 'archiveItem', 'applyMutations'] as const satisfies ReadonlyArray<keyof MondayPort>;

/**
 * The ports as one claim's handlers see them: every write first calls `assertHeld` (which throws
 * LeaseLostError when the claim may have been taken over); reads pass through.
 */
export function leaseGuardedPorts(ports: { salesforce: SalesforcePort; monday: MondayPort }, assertHeld: () => void): { salesforce: SalesforcePort; monday: MondayPort } {
  return { salesforce: guardWrites(ports.salesforce, SALESFORCE_WRITES, assertHeld), monday: guardWrites(ports.monday, MONDAY_WRITES, assertHeld) };
}

function guardWrites<T extends object>(port: T, writes: ReadonlyArray<keyof T>, assertHeld: () => void): T {
  const guarded = new Set<PropertyKey>(writes);
  return new Proxy(port, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!guarded.has(key)) return method.bind(target);
      return (...args: unknown[]) => {
        assertHeld();
        return method.apply(target, args);
      };
    },
  });
}
