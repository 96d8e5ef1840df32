import type { UserDirectory } from '../mapping/converters/converter.types';

export interface DirectoryUser {
  id: string;
  email: string;
}

/** Users of both sides matched by e-mail (People <-> OwnerId), built from the two clients' user lists. */
export class EmailUserDirectory implements UserDirectory {
  private readonly sfEmailById = new Map<string, string>();
  private readonly sfIdByEmail = new Map<string, string>();
  private readonly mondayEmailById = new Map<string, string>();
  private readonly mondayIdByEmail = new Map<string, string>();

  constructor(salesforceUsers: readonly DirectoryUser[] = [], mondayUsers: readonly DirectoryUser[] = []) {
    for (const user of salesforceUsers) {
      const email = user.email.toLowerCase();
      this.sfEmailById.set(user.id, email);
      this.sfEmailById.set(user.id.slice(0, 15), email);
      this.sfIdByEmail.set(email, user.id);
    }
    for (const user of mondayUsers) {
      const email = user.email.toLowerCase();
      this.mondayEmailById.set(user.id, email);
      this.mondayIdByEmail.set(email, user.id);
    }
  }

  salesforceUserEmail(salesforceUserId18: string): string | undefined {
    return this.sfEmailById.get(salesforceUserId18) ?? this.sfEmailById.get(salesforceUserId18.slice(0, 15));
  }
  salesforceUserIdByEmail(email: string): string | undefined {
    return this.sfIdByEmail.get(email.toLowerCase());
  }
  mondayUserEmail(mondayUserId: string): string | undefined {
    return this.mondayEmailById.get(String(mondayUserId));
  }
  mondayUserIdByEmail(email: string): string | undefined {
    return this.mondayIdByEmail.get(email.toLowerCase());
  }
}
