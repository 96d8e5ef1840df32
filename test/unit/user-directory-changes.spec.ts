import { userDirectoryChangedEvent, userListChanges } from '../../src/migration/user-directory-changes';

const lists = (salesforce: Array<[string, string]>, monday: Array<[string, string]>) => ({
  salesforceUsers: salesforce.map(([id, email]) => ({ id, email })),
  mondayUsers: monday.map(([id, email]) => ({ id, email })),
});

describe('user directory changes (what a refresh or a start tells the log)', () => {
  const before = lists([['005A', 'ann@example.org']], [['1', 'ann@example.org']]);

  it('counts users added and removed on either side; an e-mail cased differently is the same user', () => {
    const after = lists([['005A', 'Ann@Example.org'], ['005B', 'bo@example.org']], [['2', 'bo@example.org']]);
    expect(userListChanges(before, after)).toEqual({ added: 2, removed: 1 });
  });

  it('an event only when users were added, with counts and no e-mail', () => {
    const after = lists([['005A', 'ann@example.org'], ['005B', 'bo@example.org']], [['1', 'ann@example.org'], ['2', 'bo@example.org']]);
    const event = userDirectoryChangedEvent(userListChanges(before, after), after, 'start', new Date(1_000));
    expect(event).toMatchObject({ type: 'system.user_directory_changed', source: 'system', stream: 'system:user-directory', payload: { added: 2, removed: 0, salesforceUsers: 2, mondayUsers: 2, via: 'start' } });
    expect(JSON.stringify(event)).not.toContain('@');
    expect(userDirectoryChangedEvent(userListChanges(after, before), before, 'refresh', new Date(2_000))).toBeNull();
  });
});
