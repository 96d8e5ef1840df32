import { SalesforceOrg } from '../org';
import { BuiltInUsers } from '../context';

export const INTEGRATION_USERNAME = 'integration@crm-sync.example';

/** The users every emulated org has: an admin (the "human"), the API integration user, and the automation user. */
export function createBuiltInUsers(org: SalesforceOrg, integrationUsername: string): BuiltInUsers {
  const create = (fields: Record<string, unknown>, createdBy: string): string =>
    org.transact(
      { userId: createdBy, changeOrigin: '', client: null },
      (tx) => {
        const outcome = org.writer.create(tx, 'User', { IsActive: true, TimeZoneSidKey: 'America/New_York', ...fields }, 'seed');
        if (!outcome.ok) throw new Error(`built-in user: ${outcome.errors.map((e) => e.message).join('; ')}`);
        return outcome.id;
      },
      { silent: true },
    );
  // The first user creates itself (as in a new org, where the admin exists before anything else).
  const adminUserId = org.ids.peekNext('005');
  create(
    { Username: 'admin@crm-sync.example', FirstName: 'Ada', LastName: 'Admin', Email: 'admin@crm-sync.example', Alias: 'aadmin', Title: 'Salesforce Administrator' },
    adminUserId,
  );
  const integrationUserId = create(
    { Username: integrationUsername, FirstName: 'Integration', LastName: 'User', Email: INTEGRATION_USERNAME, Alias: 'integ' },
    adminUserId,
  );
  const automationUserId = create(
    { Username: 'autoproc@crm-sync.example', LastName: 'Automated Process', Email: 'autoproc@crm-sync.example', Alias: 'autoproc' },
    adminUserId,
  );
  return { adminUserId, integrationUserId, automationUserId };
}
