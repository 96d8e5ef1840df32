import { readFileSync } from 'node:fs';
import { loadMapping } from '../../src/mapping/load-mapping';
import { validateAgainstLive } from '../../src/mapping/validate-against-live';
import { EXAMPLE_MAPPING as EXAMPLE, sandboxSchemas } from '../support/sandbox-schemas';

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
      // The demo board's "Nurturing" status (one seeded lead has it) is no Lead Status of the org:
      // `crm-sync check` warns that such an item's status cannot be written to Salesforce.
      expect.objectContaining({ code: 'UNWRITABLE_LABEL', severity: 'warning', path: 'objects.lead.fields[8].values', message: expect.stringContaining('label "Nurturing"') }),
      expect.objectContaining({ code: 'NAME_ONE_WAY', severity: 'notice', path: 'objects.contact.name', line: expect.any(Number) }),
    ]);
  });

  it('is what the JSON Schema describes (the file names the schema for editors)', () => {
    expect(readFileSync(EXAMPLE, 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/src\/mapping\/mapping\.schema\.json/);
  });
});
