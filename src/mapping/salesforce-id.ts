const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function isSalesforceId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/**
 * The 18-character form of a Salesforce id (salesforce.md 6.2): ids are written to monday as 18
 * characters; 15-character ids are accepted on read. An 18-character id is returned as it is.
 */
export function to18(id: string): string {
  if (id.length !== 15) return id;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_CHARS.charAt(bits);
  }
  return id + suffix;
}
