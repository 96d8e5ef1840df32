import { mondayBoardFromApi, salesforceObjectFromDescribe, type Mapping } from '../mapping';
import type { MondayPort } from '../monday';
import type { CachedContext, CachedUserLists } from '../sync-projector/sync-context-cache';
import type { SalesforcePort } from '../salesforce';

/**
 * Reads what the mapping is bound to: the mapped boards' columns, the mapped objects' describes (and
 * User, for people <-> owner), both user lists for matching people by e-mail, and the monday
 * account's country (the default country of phone numbers).
 */
export async function readLiveContext(mapping: Mapping, salesforce: SalesforcePort, monday: MondayPort): Promise<CachedContext> {
  const boardIds = [...new Set(mapping.objects.map((o) => o.monday.board))];
  const objectNames = [...new Set([...mapping.objects.map((o) => o.salesforce), 'User'])];
  const [boards, describes, users, account] = await Promise.all([
    monday.boards(boardIds),
    Promise.all(objectNames.map((name) => salesforce.describe(name).catch(() => null))),
    readUserLists(salesforce, monday),
    // Its country is the last fallback for national phone numbers; unreadable means unknown (`check` says so).
    monday.account().catch(() => ({ countryCode: null })),
  ]);
  return {
    live: {
      mondayBoards: boards.map((b) => mondayBoardFromApi({ id: b.id, name: b.name, groups: b.groups, columns: b.columns.map((c) => ({ id: c.id, title: c.title, type: c.type, settings: c.settings })) })),
      salesforceObjects: describes.filter((d) => d !== null).map((d) => salesforceObjectFromDescribe(d)),
      mondayAccount: { countryCode: account.countryCode },
    },
    ...users,
  };
}

/**
 * Both user lists people <-> owner are matched by (by e-mail): Salesforce's active users and
 * monday's users, each with an e-mail. Read at start (readLiveContext) and by the running service's
 * user directory refresh; either CRM failing fails the read (nothing half-read is used).
 */
export async function readUserLists(salesforce: SalesforcePort, monday: MondayPort): Promise<CachedUserLists> {
  const readSalesforce = async (): Promise<CachedUserLists['salesforceUsers']> => {
    const users: CachedUserLists['salesforceUsers'] = [];
    for await (const user of salesforce.query('SELECT Id, Email FROM User WHERE IsActive = true')) {
      if (typeof user.Email === 'string') users.push({ id: user.Id, email: user.Email });
    }
    return users;
  };
  const [salesforceUsers, mondayUsers] = await Promise.all([readSalesforce(), monday.users()]);
  return { salesforceUsers, mondayUsers: mondayUsers.filter((u) => u.email).map((u) => ({ id: u.id, email: u.email })) };
}
