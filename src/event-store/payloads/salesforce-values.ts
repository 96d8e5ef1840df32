/**
 * The values events carry: what the sync agreed, wrote or read, in Salesforce's shape (the mapping's
 * converters translate monday values to and from it). Defined here so the event log depends on no
 * domain module; src/mapping re-exports them.
 */

/** A Salesforce field value as the REST API returns and accepts it. */
export type SalesforceScalar = string | number | boolean | null;
/** `[start, end]` of two date fields mapped to one monday timeline column. */
export type SalesforceDateRange = readonly [string | null, string | null];
export type SalesforceValue = SalesforceScalar | SalesforceDateRange;
