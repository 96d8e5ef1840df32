/**
 * Who "we" are on each side, learned at start-up (monday `me`, Salesforce identity). Ingest tags
 * events made by these identities as own echoes (invariant 7). Null until known.
 */
export class OwnIdentity {
  mondayUserId: number | null = null;
  salesforceUserId: string | null = null;

  constructor(readonly salesforceClientName: string) {}
}
