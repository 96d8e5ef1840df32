import { usePayloadProtection } from '../event-store/payload-protection';
import type { PersonalDataProtector } from './protector';

/**
 * The process's protector while PII_ENCRYPTION_KEY is set, null otherwise. Installing it also
 * installs it as the event store's payload protection (the port src/event-store defines), so
 * appends encrypt and reads decrypt personal values.
 */
let active: PersonalDataProtector | null = null;

export function activePersonalData(): PersonalDataProtector | null {
  return active;
}

export function usePersonalData(protector: PersonalDataProtector | null): void {
  active = protector;
  usePayloadProtection(protector);
}
