import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { BuiltInUsers } from './context';
import { OrgSnapshot } from './org';

/** What survives a restart when `persistPath` is set: records, id counters, built-in user ids. */
export interface EmulatorStateFile {
  format: 'crm-sync-salesforce-emulator/1';
  org: OrgSnapshot;
  users: BuiltInUsers;
}

export function loadStateFile(path: string): EmulatorStateFile | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as EmulatorStateFile;
  if (parsed.format !== 'crm-sync-salesforce-emulator/1') throw new Error(`${path}: not a Salesforce emulator state file`);
  return parsed;
}

/** Writes atomically (temp file + rename) so a crash never leaves half a file. */
export function saveStateFile(path: string, state: Omit<EmulatorStateFile, 'format'>): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify({ format: 'crm-sync-salesforce-emulator/1', ...state }));
  renameSync(tmp, path);
}
