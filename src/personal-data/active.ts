import type { PersonalDataProtector } from './protector';

/**
 * The process's protector while PII_ENCRYPTION_KEY is set, null otherwise. The event store's append
 * and read paths ask it once per batch: with encryption off they pay one null check.
 */
let active: PersonalDataProtector | null = null;

export function activePersonalData(): PersonalDataProtector | null {
  return active;
}

export function usePersonalData(protector: PersonalDataProtector | null): void {
  active = protector;
}
