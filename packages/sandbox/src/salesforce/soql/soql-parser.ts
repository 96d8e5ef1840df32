import {
  ComparisonOperator, Condition, FieldPath, Literal, OrderItem, SelectItem, SoqlQuery, SoqlSyntaxError,
} from './soql-ast';
import { Token, tokenize } from './soql-lexer';
import { parseDateTime } from '../store/field-values';

const DATE_LITERALS = new Set(['TODAY', 'YESTERDAY', 'TOMORROW', 'LAST_WEEK', 'THIS_WEEK', 'THIS_MONTH', 'LAST_MONTH', 'THIS_YEAR']);
const DATE_N_LITERALS = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS']);
const CLAUSE_KEYWORDS = new Set(['FROM', 'WHERE', 'ORDER', 'LIMIT', 'OFFSET', 'GROUP', 'HAVING', 'WITH', 'FOR']);

/** Recursive-descent parser for the supported SOQL subset; throws SoqlSyntaxError (MALFORMED_QUERY). */
export function parseSoql(source: string): SoqlQuery {
  return new Parser(tokenize(source)).query();
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  query(): SoqlQuery {
    this.expectKeyword('SELECT');
    const select = this.selectList();
    this.expectKeyword('FROM');
    const from = this.identifier();
    if (this.peek().kind === 'ident' && !CLAUSE_KEYWORDS.has(this.peek().text.toUpperCase())) {
      throw this.unexpected(); // aliases are not supported
    }
    let where: Condition | null = null;
    if (this.acceptKeyword('WHERE')) where = this.condition();
    const orderBy: OrderItem[] = [];
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      do orderBy.push(this.orderItem());
      while (this.acceptPunct(','));
    }
    let limit: number | null = null;
    let offset: number | null = null;
    if (this.acceptKeyword('LIMIT')) limit = this.integer();
    if (this.acceptKeyword('OFFSET')) offset = this.integer();
    if (this.peek().kind !== 'eof') throw this.unexpected();
    return { select, from, where, orderBy, limit, offset };
  }

  private selectList(): SelectItem[] {
    const items: SelectItem[] = [];
    do items.push(this.selectItem());
    while (this.acceptPunct(','));
    return items;
  }

  private selectItem(): SelectItem {
    if (this.peekKeyword('COUNT') && this.peekAt(1).text === '(') {
      this.pos++;
      this.expectPunct('(');
      if (!this.acceptPunct(')')) throw new SoqlSyntaxError('Aggregate COUNT(field) is not supported by the emulator; use COUNT()');
      return { kind: 'count' };
    }
    if (this.peekKeyword('FIELDS') && this.peekAt(1).text === '(') {
      this.pos += 2;
      const which = this.identifier().toUpperCase();
      if (which !== 'ALL' && which !== 'STANDARD' && which !== 'CUSTOM') throw this.unexpected();
      this.expectPunct(')');
      return { kind: 'fields', which };
    }
    if (this.peek().text === '(') throw new SoqlSyntaxError('Parent-to-child subqueries are not supported by the emulator');
    return { kind: 'field', path: this.fieldPath() };
  }

  private orderItem(): OrderItem {
    const path = this.fieldPath();
    let descending = false;
    if (this.acceptKeyword('DESC')) descending = true;
    else this.acceptKeyword('ASC');
    let nullsFirst = !descending;
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('FIRST')) nullsFirst = true;
      else if (this.acceptKeyword('LAST')) nullsFirst = false;
      else throw this.unexpected();
    }
    return { path, descending, nullsFirst };
  }

  /** AND and OR may not be mixed without parentheses (Salesforce rejects `a AND b OR c`). */
  private condition(): Condition {
    const first = this.unary();
    const items = [first];
    let op: 'AND' | 'OR' | null = null;
    for (;;) {
      const t = this.peek();
      const word = t.kind === 'ident' ? t.text.toUpperCase() : '';
      if (word !== 'AND' && word !== 'OR') break;
      if (op !== null && op !== word) throw this.unexpected();
      op = word;
      this.pos++;
      items.push(this.unary());
    }
    if (op === null) return first;
    return op === 'AND' ? { kind: 'and', items } : { kind: 'or', items };
  }

  private unary(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', inner: this.unary() };
    if (this.acceptPunct('(')) {
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const path = this.fieldPath();
    const t = this.peek();
    if (t.kind === 'op') {
      this.pos++;
      return { kind: 'compare', path, op: t.text as ComparisonOperator, value: this.literal() };
    }
    if (this.acceptKeyword('LIKE')) return { kind: 'compare', path, op: 'LIKE', value: this.literal() };
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('IN')) return { kind: 'in', path, negated, values: this.literalList() };
    if (!negated && (this.peekKeyword('INCLUDES') || this.peekKeyword('EXCLUDES'))) {
      const excludes = this.identifier().toUpperCase() === 'EXCLUDES';
      const values = this.literalList().map((l) => {
        if (l.type !== 'string') throw new SoqlSyntaxError('INCLUDES/EXCLUDES take string values');
        return l.value;
      });
      return { kind: 'includes', path, negated: excludes, values };
    }
    throw this.unexpected();
  }

  private literalList(): Literal[] {
    this.expectPunct('(');
    const values: Literal[] = [];
    do values.push(this.literal());
    while (this.acceptPunct(','));
    this.expectPunct(')');
    return values;
  }

  private literal(): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return { type: 'string', value: t.text };
      case 'number':
        return { type: 'number', value: Number(t.text) };
      case 'date':
        return { type: 'date', value: t.text };
      case 'datetime': {
        const ms = parseDateTime(t.text);
        if (ms === null) throw new SoqlSyntaxError(`line 1:${t.position} no viable alternative at character '${t.text}'`);
        return { type: 'datetime', value: ms };
      }
      case 'ident': {
        const word = t.text.toUpperCase();
        if (word === 'NULL') return { type: 'null' };
        if (word === 'TRUE' || word === 'FALSE') return { type: 'boolean', value: word === 'TRUE' };
        if (DATE_LITERALS.has(word)) return { type: 'dateLiteral', name: word, n: null };
        if (DATE_N_LITERALS.has(word)) {
          this.expectPunct(':');
          return { type: 'dateLiteral', name: word, n: this.integer() };
        }
        break;
      }
      default:
        break;
    }
    this.pos--;
    throw this.unexpected();
  }

  private fieldPath(): FieldPath {
    const path = [this.identifier()];
    while (this.acceptPunct('.')) path.push(this.identifier());
    return path;
  }

  private identifier(): string {
    const t = this.next();
    if (t.kind !== 'ident') {
      this.pos--;
      throw this.unexpected();
    }
    return t.text;
  }

  private integer(): number {
    const t = this.next();
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) {
      this.pos--;
      throw this.unexpected();
    }
    return Number(t.text);
  }

  private peek(): Token {
    return this.peekAt(0);
  }

  private peekAt(offset: number): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private peekKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.peekKeyword(word)) return false;
    this.pos++;
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) throw this.unexpected();
  }

  private acceptPunct(p: string): boolean {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== p) return false;
    this.pos++;
    return true;
  }

  private expectPunct(p: string): void {
    if (!this.acceptPunct(p)) throw this.unexpected();
  }

  private unexpected(): SoqlSyntaxError {
    const t = this.peek();
    return new SoqlSyntaxError(t.kind === 'eof' ? 'unexpected end of query' : `unexpected token: '${t.text}'`);
  }
}
