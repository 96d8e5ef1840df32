import { parsePhone } from '../mapping/converters/phone-number';

/**
 * Mailbox providers whose domain says nothing about the organisation: two people at gmail.com are
 * not colleagues. A short list of the large providers; a missed one only costs a comparison.
 */
const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'hotmail.com', 'hotmail.co.uk', 'outlook.com', 'live.com', 'msn.com',
  'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.de', 'web.de', 'mail.com',
  'yandex.com', 'yandex.ru', 'mail.ru', 'qq.com', '163.com', 'zoho.com', 'fastmail.com', 'example.com',
]);

/** Legal forms and filler words that do not tell two organisations apart. */
const ORGANISATION_NOISE: ReadonlySet<string> = new Set([
  'inc', 'incorporated', 'llc', 'llp', 'lp', 'ltd', 'limited', 'co', 'corp', 'corporation', 'company', 'plc', 'gmbh', 'ag', 'sa', 'sarl',
  'bv', 'nv', 'srl', 'spa', 'pty', 'the', 'and',
]);

/** Lower case, accents removed, anything but letters and digits a single space. */
export function foldText(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** An e-mail address as a key: trimmed, lower case (addresses are compared ignoring case); null when it is not one. */
export function emailKey(value: string | null | undefined): string | null {
  const trimmed = value?.trim().toLowerCase() ?? '';
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed) ? trimmed : null;
}

/** The organisation's domain of an address; null for free mail providers. */
export function organisationDomainOfEmail(email: string): string | null {
  const domain = email.slice(email.lastIndexOf('@') + 1);
  return FREE_MAIL_DOMAINS.has(domain) ? null : domain;
}

/** `https://www.acme.org/about` -> `acme.org`; null when no host can be read. */
export function websiteDomain(value: string | null | undefined): string | null {
  const trimmed = value?.trim().toLowerCase() ?? '';
  if (trimmed === '') return null;
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(trimmed) ? trimmed : `http://${trimmed}`).hostname;
    const domain = host.replace(/^www\d?\./, '');
    return domain.includes('.') && !FREE_MAIL_DOMAINS.has(domain) ? domain : null;
  } catch {
    return null;
  }
}

/** An organisation name as a key: folded, legal forms removed ("ACME, Inc." and "Acme" match); null when nothing is left. */
export function organisationKey(value: string | null | undefined): string | null {
  if (!value) return null;
  const words = foldText(value).split(' ').filter((w) => w !== '' && !ORGANISATION_NOISE.has(w));
  return words.length > 0 ? words.join(' ') : null;
}

/** A phone as E.164 when it parses (national numbers in `country`), else null: unparsed text never matches. */
export function phoneE164(value: string, country: string | undefined): string | null {
  if (value.trim() === '') return null;
  const parsed = parsePhone(value, country);
  return parsed.ok ? parsed.e164 : null;
}
