import { join } from 'node:path';
import { loadMapping } from '../../src/mapping/load-mapping';
import { mondayBoardFromApi, salesforceObjectFromDescribe, type LiveSchemas } from '../../src/mapping/live-schema';
import { resolveMapping, type ResolvedMapping } from '../../src/mapping/resolved-mapping';
import { seedDemoBoards } from '@crm-sync/sandbox';
import { describeObject } from '@crm-sync/sandbox';
import { SchemaRegistry } from '@crm-sync/sandbox';

export const EXAMPLE_MAPPING = join(__dirname, '../../examples/nonprofit-leads.yaml');

/** The sandbox's demo boards and org, as the monday `boards` query and Salesforce describe would show them. */
export function sandboxSchemas(): LiveSchemas {
  const boards: { id: number; name: string; columns: { id: string; title: string; type: string; settings?: unknown }[]; groups: { id: string; title: string }[] }[] = [];
  let nextItem = 1;
  const control = {
    seedBoard: (spec: (typeof boards)[number]) => (boards.push(spec), spec),
    seedItems: (_board: number, items: unknown[]) => items.map(() => ({ id: nextItem++ })),
  };
  seedDemoBoards({ control } as unknown as Parameters<typeof seedDemoBoards>[0]);
  const registry = new SchemaRegistry();
  return {
    mondayBoards: boards.map((b) => mondayBoardFromApi({ ...b, columns: b.columns.map((c) => ({ ...c, settings_str: JSON.stringify(c.settings ?? {}) })) })),
    salesforceObjects: registry.all().map((s) => salesforceObjectFromDescribe(describeObject(s, registry, '62.0'))),
  };
}

/** The seed-000 example mapping bound to the sandbox schemas. */
export function exampleResolvedMapping(): ResolvedMapping {
  return resolveMapping(loadMapping(EXAMPLE_MAPPING), sandboxSchemas());
}
