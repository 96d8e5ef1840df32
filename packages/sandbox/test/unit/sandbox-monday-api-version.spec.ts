/**
 * API-Version resolution (reference 1.4) and the complexity estimate (reference 6.1) of the monday
 * emulator, as pure functions.
 */
import { getOperationAST, parse } from 'graphql';
import { DEFAULT_COSTS } from '../../src/monday/emulator-options';
import { MondayApiError } from '../../src/monday/errors';
import { estimateComplexity } from '../../src/monday/graphql/complexity-estimate';
import { currentVersion, resolveApiVersion, versionKind } from '../../src/monday/http/api-version';

const NOV_2026 = Date.parse('2026-11-15T00:00:00Z');

describe('monday API-Version resolution (reference 1.4)', () => {
  it('Current follows the release schedule of the emulated date', () => {
    expect(currentVersion(NOV_2026)).toBe('2026-10');
    expect(currentVersion(Date.parse('2026-08-01T00:00:00Z'))).toBe('2026-07');
    expect(currentVersion(Date.parse('2027-01-15T00:00:00Z'))).toBe('2027-01');
  });

  it('no header and unknown well-formed names serve Current; a release candidate is served as asked', () => {
    expect(resolveApiVersion(undefined, NOV_2026, false)).toBe('2026-10');
    expect(resolveApiVersion('2024-02', NOV_2026, false)).toBe('2026-10');
    expect(resolveApiVersion('2027-01', NOV_2026, false)).toBe('2027-01');
    expect(versionKind('2027-01', NOV_2026)).toBe('release_candidate');
    expect(versionKind('2026-07', NOV_2026)).toBe('maintenance');
  });

  it('2024-10 and 2025-01 are routed to 2025-04 since 2026-02-15 unless deprecated versions are served as asked', () => {
    expect(resolveApiVersion('2024-10', NOV_2026, false)).toBe('2025-04');
    expect(resolveApiVersion('2025-01', NOV_2026, false)).toBe('2025-04');
    expect(resolveApiVersion('2024-10', Date.parse('2026-01-01T00:00:00Z'), false)).toBe('2024-10');
    expect(resolveApiVersion('2024-10', NOV_2026, true)).toBe('2024-10');
  });

  it('a malformed value is an InvalidVersionException', () => {
    expect(() => resolveApiVersion('2023', NOV_2026, false)).toThrow(MondayApiError);
    expect(() => resolveApiVersion('2023', NOV_2026, false)).toThrow(/Invalid API version/);
  });
});

describe('monday complexity estimate (reference 6.1)', () => {
  const cost = (query: string, variables: Record<string, unknown> = {}): number => {
    const document = parse(query);
    const operation = getOperationAST(document);
    if (!operation) throw new Error('no operation');
    return estimateComplexity(document, operation, variables, DEFAULT_COSTS);
  };

  it('create_item costs 10,000 points plus its selection', () => {
    expect(cost('mutation { create_item(board_id: 1, item_name: "x") { id } }')).toBe(10_001);
  });

  it('aliased mutations add up and the complexity field is free', () => {
    expect(cost('mutation { complexity { query } a: create_item(board_id: 1, item_name: "x") { id } b: create_item(board_id: 1, item_name: "y") { id } }')).toBe(20_002);
  });

  it('list fields multiply their selection by limit or ids, taken from variables too', () => {
    const small = cost('query ($l: Int!) { boards(ids: [1]) { items_page(limit: $l) { items { id name } } } }', { l: 10 });
    const large = cost('query ($l: Int!) { boards(ids: [1]) { items_page(limit: $l) { items { id name } } } }', { l: 500 });
    expect(large).toBeGreaterThan(small * 40);
  });
});
