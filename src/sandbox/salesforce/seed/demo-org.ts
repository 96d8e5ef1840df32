import type { SalesforceEmulator } from '../index';
export function seedDemoOrg(_emulator: SalesforceEmulator): void {}
