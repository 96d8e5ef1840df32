import { SoqlSyntaxError } from './soql-ast';

export type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'op' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier/keyword text as written, operator or punctuation; the decoded value for strings. */
  text: string;
  position: number;
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\w:])/;
const NUMBER = /^-?\d+(\.\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Splits a SOQL statement into tokens (strings decoded, dates recognised before numbers). */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = source.slice(i);
    if (c === "'") {
      const { value, end } = readString(source, i);
      tokens.push({ kind: 'string', text: value, position: i });
      i = end;
      continue;
    }
    const dt = DATETIME.exec(rest);
    if (dt) {
      tokens.push({ kind: 'datetime', text: dt[0], position: i });
      i += dt[0].length;
      continue;
    }
    const d = DATE.exec(rest);
    if (d) {
      tokens.push({ kind: 'date', text: d[0], position: i });
      i += d[0].length;
      continue;
    }
    const n = NUMBER.exec(rest);
    if (n && (c !== '-' || isValueStart(tokens))) {
      tokens.push({ kind: 'number', text: n[0], position: i });
      i += n[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      tokens.push({ kind: 'ident', text: id[0], position: i });
      i += id[0].length;
      continue;
    }
    const two = rest.slice(0, 2);
    if (two === '!=' || two === '<=' || two === '>=' || two === '<>') {
      tokens.push({ kind: 'op', text: two === '<>' ? '!=' : two, position: i });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      tokens.push({ kind: 'op', text: c, position: i });
      i++;
      continue;
    }
    if ('(),.:'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, position: i });
      i++;
      continue;
    }
    throw new SoqlSyntaxError(`unexpected token: '${c}'`);
  }
  tokens.push({ kind: 'eof', text: '', position: source.length });
  return tokens;
}

function isValueStart(tokens: Token[]): boolean {
  const prev = tokens[tokens.length - 1];
  return prev !== undefined && (prev.kind === 'op' || prev.text === '(' || prev.text === ',' || prev.text === ':');
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', _: '\\_', '%': '\\%' };

function readString(source: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source.charAt(i);
    if (c === '\\') {
      const next = source.charAt(i + 1);
      const decoded = ESCAPES[next];
      if (decoded === undefined) throw new SoqlSyntaxError(`Invalid string literal: illegal escape sequence \\${next}`);
      value += decoded;
      i += 2;
      continue;
    }
    if (c === "'") return { value, end: i + 1 };
    value += c;
    i++;
  }
  throw new SoqlSyntaxError('unterminated string literal');
}
