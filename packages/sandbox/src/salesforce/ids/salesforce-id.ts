/**
 * Salesforce record ids (reference 6): 15 case-sensitive characters, plus a 3-character suffix that
 * encodes the case of the first 15 so the 18-character form can be compared case-insensitively.
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ALNUM = /^[a-zA-Z0-9]+$/;

export const EMPTY_ID = '000000000000000AAA';

export function to18(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return id15 + suffix;
}

/**
 * The canonical 18-character id for a 15- or 18-character input, or null when malformed.
 * An 18-character id may arrive with its first 15 characters in the wrong case (that is what the
 * suffix is for): the case is restored from the suffix.
 */
export function normalizeId(input: string): string | null {
  if (typeof input !== 'string' || !ALNUM.test(input)) return null;
  if (input.length === 15) return to18(input);
  if (input.length !== 18) return null;
  const suffix = input.slice(15).toUpperCase();
  let restored = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = SUFFIX_ALPHABET.indexOf(suffix.charAt(chunk));
    if (bits < 0) return null;
    for (let i = 0; i < 5; i++) {
      const c = input.charAt(chunk * 5 + i);
      restored += bits & (1 << i) ? c.toUpperCase() : c.toLowerCase();
    }
  }
  return restored + suffix;
}

/** Hands out ids per key prefix: prefix + pod "Hs" + "0" + a 9-character base-62 counter. */
export class IdGenerator {
  private readonly counters = new Map<string, number>();

  constructor(initial: Record<string, number> = {}) {
    for (const [prefix, n] of Object.entries(initial)) this.counters.set(prefix, n);
  }

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return to18(prefix + 'Hs0' + base62(n, 9));
  }

  /** The id `next(prefix)` will return, without taking it. */
  peekNext(prefix: string): string {
    return to18(prefix + 'Hs0' + base62((this.counters.get(prefix) ?? 0) + 1, 9));
  }

  state(): Record<string, number> {
    return Object.fromEntries(this.counters);
  }
}

export function base62(n: number, width: number): string {
  let out = '';
  let rest = n;
  while (rest > 0) {
    out = BASE62.charAt(rest % 62) + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}
