import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMapping } from '../../src/mapping/load-mapping';
import { mondayBoardFromApi, salesforceObjectFromDescribe, type LiveSchemas } from '../../src/mapping/live-schema';
import { validateAgainstLive } from '../../src/mapping/validate-against-live';
import { seedDemoBoards } from '../../src/sandbox/monday/demo-boards';
import { describeObject } from '../../src/sandbox/salesforce/schema/describe';
import { SchemaRegistry } from '../../src/sandbox/salesforce/schema/schema-registry';

const EXAMPLE = join(__dirname, '../../examples/nonprofit-leads.yaml');

/** The sandbox's demo boards and org, as the monday `boards` query and Salesforce describe would show them. */
function sandboxSchemas(): LiveSchemas {
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

describe('examples/nonprofit-leads.yaml (seed 000)', () => {
  const mapping = loadMapping(EXAMPLE);

  it('loads: Lead, Opportunity, Account and Contact boards with the lead lifecycle', () => {
    expect(mapping.objects.map((o) => [o.key, o.salesforce])).toEqual([
      ['lead', 'Lead'], ['opportunity', 'Opportunity'], ['account', 'Account'], ['contact', 'Contact'],
    ]);
    const lead = mapping.objects[0]!;
    expect(lead.name).toBe('Company');
    expect(lead.fields.length).toBeGreaterThanOrEqual(20);
    expect(lead.convert).toEqual({ when: { column: 'lead_status', in: ['Qualified'] }, account: 'account', contact: 'contact', opportunity: 'opportunity', convertedStatus: 'Closed - Converted' });
    expect(lead.create.salesforce).toEqual({ enabled: true, when: { column: 'lead_status', in: ['Qualified'] } });
    const stage = mapping.objects[1]!.fields.find((f) => f.salesforce === 'StageName');
    expect(stage?.values).toMatchObject({ 'Follow-up': 'Follow-up', Quote: 'Quote', MOU: 'MOU' });
  });

  it('validates against the sandbox boards and org with no error, and says the Contact name is one-way', () => {
    const problems = validateAgainstLive(mapping, sandboxSchemas());
    expect(problems).toEqual([
      expect.objectContaining({ code: 'NAME_ONE_WAY', severity: 'notice', path: 'objects.contact.name', line: expect.any(Number) }),
    ]);
  });

  it('is what the JSON Schema describes (the file names the schema for editors)', () => {
    expect(readFileSync(EXAMPLE, 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/src\/mapping\/mapping\.schema\.json/);
  });
});
