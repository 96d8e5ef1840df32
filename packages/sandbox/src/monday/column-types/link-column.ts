import { columnValueError } from '../errors';
import { defineColumnType } from './column-type';
import { isClearing, isRecord } from './parse-helpers';

const INTERNAL = 'link';

export interface LinkData {
  url: string;
  text: string;
}

/** An absolute URL with a scheme and a host: `example.org` without `https://` is refused (strict reading). */
function isAbsoluteUrl(url: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(url)) return false;
  try {
    return new URL(url).host !== '';
  } catch {
    return false;
  }
}

function build(url: unknown, text: unknown, input: unknown): LinkData {
  if (typeof url !== 'string' || !isAbsoluteUrl(url)) {
    throw columnValueError(INTERNAL, 'Link to item column value structure invalid', { column_value: input });
  }
  return { url, text: typeof text === 'string' && text !== '' ? text : url };
}

function writeSimple(input: string): LinkData | null {
  const trimmed = input.trim();
  if (trimmed === '') return null;
  const space = trimmed.indexOf(' ');
  return space < 0 ? build(trimmed, trimmed, input) : build(trimmed.slice(0, space), trimmed.slice(space + 1).trim(), input);
}

/** A string inside `column_values` takes the simple syntax, as monday's docs allow (change-column-values). */
function writeJson(input: unknown): LinkData | null {
  if (isClearing(input)) return null;
  if (typeof input === 'string') return writeSimple(input);
  if (isRecord(input)) {
    if (input.url === '' || input.url === null) return null;
    return build(input.url, input.text, input);
  }
  throw columnValueError(INTERNAL, 'link takes {"url": "...", "text": "..."}', { column_value: input });
}

/** link: write `{"url","text"}`, text = `"text - url"` (5.1, format unconfirmed). */
export const linkColumn = defineColumnType<LinkData>({
  type: 'link',
  internalType: INTERNAL,
  legacyErrorType: 'LinkColumn',
  defaultSettings: () => ({}),
  writeJson,
  writeSimple,
  value: (d, changedAt) => ({ url: d.url, text: d.text, changed_at: changedAt }),
  text: (d) => (d ? `${d.text} - ${d.url}` : ''),
  typed: (d, changedAt) => ({ url: d?.url ?? null, url_text: d?.text ?? null, updated_at: changedAt }),
  webhookValue: (d, changedAt) => ({ url: d.url, text: d.text, changed_at: changedAt }),
  matchKeys: (d) => (d ? [d.url] : []),
  sortKey: (d) => d?.url ?? null,
});
