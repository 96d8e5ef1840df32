/** The SOQL subset the emulator understands (reference 2.4 and the issue): parsed form. */
export type FieldPath = string[];

export type SelectItem = { kind: 'field'; path: FieldPath } | { kind: 'count' } | { kind: 'fields'; which: 'ALL' | 'STANDARD' | 'CUSTOM' };

export type Literal =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' }
  | { type: 'date'; value: string }
  | { type: 'datetime'; value: number }
  | { type: 'dateLiteral'; name: string; n: number | null };

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';

export type Condition =
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; inner: Condition }
  | { kind: 'compare'; path: FieldPath; op: ComparisonOperator; value: Literal }
  | { kind: 'in'; path: FieldPath; negated: boolean; values: Literal[] }
  | { kind: 'includes'; path: FieldPath; negated: boolean; values: string[] };

export interface OrderItem {
  path: FieldPath;
  descending: boolean;
  nullsFirst: boolean;
}

export interface SoqlQuery {
  select: SelectItem[];
  from: string;
  where: Condition | null;
  orderBy: OrderItem[];
  limit: number | null;
  offset: number | null;
}

export class SoqlSyntaxError extends Error {}
