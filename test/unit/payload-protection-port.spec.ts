import { payloadProtection } from '../../src/event-store';
import { activePersonalData, usePersonalData, type PersonalDataProtector } from '../../src/personal-data';

/**
 * The event store encrypts and decrypts through its PayloadProtection port; src/personal-data
 * installs the protector there. If the two came apart, appends would store personal values in
 * clear while the key is set.
 */
describe('the event store payload protection port', () => {
  afterEach(() => usePersonalData(null));

  it('is the personal-data protector once one is in use, and none again after it is removed', () => {
    const protector = { protect: async () => [], reveal: async () => [] } as unknown as PersonalDataProtector;
    expect(payloadProtection()).toBeNull();
    usePersonalData(protector);
    expect(activePersonalData()).toBe(protector);
    expect(payloadProtection()).toBe(protector);
    usePersonalData(null);
    expect(payloadProtection()).toBeNull();
  });
});
