import type { SalesforceControl } from '../control/salesforce-control';
export function seedDemoOrg(_target: { control: SalesforceControl }): Record<string, number> { return {}; }
