import { MondayError } from '../../src/monday/monday.error';
import { SalesforceError, type SalesforceErrorCode } from '../../src/salesforce/salesforce.error';
import { toDispatchError, type DispatchError, type DispatchErrorCode } from '../../src/outbox/dispatch-error';
import { backoffWindow, decideFailure, DEFAULT_FAILURE_POLICY, type FailureAction } from '../../src/outbox/failure-policy';

const error = (code: DispatchErrorCode, extra: Partial<DispatchError> = {}): DispatchError => ({ code, target: 'salesforce', message: `${code} happened`, ...extra });
const at = (attempts: number) => ({ attempts, objectKey: 'lead' });

describe('failure policy: what each error code leads to', () => {
  const table: Array<[DispatchErrorCode, FailureAction['action'], string?]> = [
    ['RATE_LIMITED', 'retry', 'rate_limited'],
    ['BUDGET_FLOOR_REACHED', 'retry', 'rate_limited'],
    ['SESSION_EXPIRED', 'retry', 'reauth'],
    ['TRANSIENT', 'retry', 'backoff'],
    ['ROW_LOCKED', 'retry', 'backoff'],
    ['CURSOR_EXPIRED', 'retry', 'backoff'],
    ['UNEXPECTED', 'retry', 'backoff'],
    ['VALIDATION', 'dead_letter', 'permanent'],
    ['DUPLICATE', 'dead_letter', 'permanent'],
    ['NOT_FOUND', 'dead_letter', 'permanent'],
    ['DELETED', 'dead_letter', 'permanent'],
    ['PERMANENT', 'dead_letter', 'permanent'],
    ['AUTH_FAILED', 'dead_letter', 'permanent'],
    ['UNAUTHORIZED', 'dead_letter', 'permanent'],
    ['AMBIGUOUS_MATCH', 'dead_letter', 'permanent'],
    ['INVALID_COMMAND', 'dead_letter', 'permanent'],
    ['INTERNAL_ERROR', 'dead_letter', 'permanent'],
  ];

  it.each(table)('%s on the first attempt -> %s (%s)', (code, action, why) => {
    const decided = decideFailure(error(code), at(1));
    expect(decided.action).toBe(action);
    expect(decided.why).toBe(why);
    if (decided.action === 'dead_letter') expect(decided.hint.length).toBeGreaterThan(20);
  });

  it('covers every Salesforce and monday error code (a new code breaks this list)', () => {
    const salesforce: Record<SalesforceErrorCode, true> = {
      SESSION_EXPIRED: true, AUTH_FAILED: true, RATE_LIMITED: true, BUDGET_FLOOR_REACHED: true, ROW_LOCKED: true,
      VALIDATION: true, NOT_FOUND: true, DELETED: true, DUPLICATE: true, TRANSIENT: true, PERMANENT: true,
    };
    for (const code of Object.keys(salesforce) as SalesforceErrorCode[]) expect(table.map(([c]) => c)).toContain(code);
    for (const code of ['RATE_LIMITED', 'UNAUTHORIZED', 'NOT_FOUND', 'VALIDATION', 'CURSOR_EXPIRED', 'TRANSIENT', 'PERMANENT'] as const) {
      expect(table.map(([c]) => c)).toContain(code);
    }
  });

  it('retries an update whose record is missing (its delete is usually moments behind), then dead-letters it', () => {
    for (const code of ['NOT_FOUND', 'DELETED'] as const) {
      for (const commandKind of ['salesforce.update', 'monday.change_columns']) {
        expect(decideFailure(error(code), { attempts: 1, commandKind })).toMatchObject({ action: 'retry', why: 'backoff' });
        expect(decideFailure(error(code), { attempts: DEFAULT_FAILURE_POLICY.maxAttempts, commandKind })).toMatchObject({ action: 'dead_letter', why: 'permanent' });
      }
      expect(decideFailure(error(code), { attempts: 1, commandKind: 'salesforce.create' }).action).toBe('dead_letter');
    }
  });

  it('a duplicate rule refusing an update (only a Block rule gets that far) asks for a merge, not for match fields', () => {
    const refused = error('DUPLICATE', { crmCode: 'DUPLICATES_DETECTED' });
    const update = decideFailure(refused, { attempts: 1, objectKey: 'contact', commandKind: 'salesforce.update' });
    expect(update).toMatchObject({ action: 'dead_letter', why: 'permanent' });
    expect(update.action === 'dead_letter' && update.hint).toMatch(/set to Block refuses this update.*merge the duplicates/);
    const create = decideFailure(refused, { attempts: 1, objectKey: 'contact', commandKind: 'salesforce.create' });
    expect(create.action === 'dead_letter' && create.hint).toMatch(/objects\.contact\.match/);
  });

  it('waits exactly as long as the CRM said when rate limited (plus a small spread)', () => {
    const decided = decideFailure(error('RATE_LIMITED', { retryAfterMs: 30_000 }), at(3));
    expect(decided).toEqual({ action: 'retry', why: 'rate_limited', delay: { minMs: 30_000, maxMs: 33_050 } });
  });

  it('falls back to a minute when a throttle gave no retry-after', () => {
    const decided = decideFailure(error('RATE_LIMITED'), at(1));
    expect(decided.action === 'retry' && decided.delay.minMs).toBe(DEFAULT_FAILURE_POLICY.rateLimitFallbackMs);
  });

  it('is patient with throttling but still bounded', () => {
    expect(decideFailure(error('RATE_LIMITED'), at(99)).action).toBe('retry');
    expect(decideFailure(error('RATE_LIMITED'), at(100))).toMatchObject({ action: 'dead_letter', why: 'gave_up' });
  });

  it('backs off exponentially with jitter windows, capped', () => {
    const windows = [1, 2, 3, 4, 12].map((n) => backoffWindow(n, DEFAULT_FAILURE_POLICY));
    expect(windows.slice(0, 4)).toEqual([
      { minMs: 500, maxMs: 1_000 },
      { minMs: 1_000, maxMs: 2_000 },
      { minMs: 2_000, maxMs: 4_000 },
      { minMs: 4_000, maxMs: 8_000 },
    ]);
    expect(windows[4]).toEqual({ minMs: 150_000, maxMs: 300_000 });
    expect(backoffWindow(1_000, DEFAULT_FAILURE_POLICY).maxMs).toBe(300_000);
  });

  it.each(['TRANSIENT', 'ROW_LOCKED', 'SESSION_EXPIRED', 'UNEXPECTED'] as const)('%s gives up after the bounded number of attempts', (code) => {
    expect(decideFailure(error(code), at(7)).action).toBe('retry');
    const last = decideFailure(error(code), at(8));
    expect(last).toMatchObject({ action: 'dead_letter', why: 'gave_up' });
    expect(last.action === 'dead_letter' && last.hint).toContain('gave up after 8 attempts');
  });

  it('retries an expired session soon once (the client re-authenticates), then backs off', () => {
    expect(decideFailure(error('SESSION_EXPIRED'), at(1))).toEqual({ action: 'retry', why: 'reauth', delay: { minMs: 1_000, maxMs: 1_000 } });
    expect(decideFailure(error('SESSION_EXPIRED'), at(2))).toMatchObject({ action: 'retry', why: 'backoff' });
  });

  it('names the column, the value and the fix for an unknown monday status label', () => {
    const decided = decideFailure(
      error('VALIDATION', { target: 'monday', field: 'lead_status', value: 'Foo', crmCode: 'ColumnValueException' }),
      { attempts: 1, objectKey: 'lead', fieldPath: 'objects.lead.fields[3]' },
    );
    expect(decided.action === 'dead_letter' && decided.hint).toContain(
      "add 'Foo' to the values map of objects.lead.fields[3] or enable createLabelsIfMissing",
    );
    expect(decided.action === 'dead_letter' && decided.hint).toContain('lead_status');
  });

  it('names the field, the value and the fix for a restricted Salesforce picklist', () => {
    const sf = new SalesforceError({
      code: 'VALIDATION',
      sfCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      operation: 'update',
      message: 'Status: bad value for restricted picklist field: Foo',
    });
    const decided = decideFailure(toDispatchError(sf), { attempts: 1, objectKey: 'lead', fieldPath: 'objects.lead.fields[2]' });
    expect(decided.action === 'dead_letter' && decided.hint).toContain("Salesforce field Status is a restricted picklist that does not accept 'Foo'");
    expect(decided.action === 'dead_letter' && decided.hint).toContain("add 'Foo' to the values map of objects.lead.fields[2]");
  });

  it('says ambiguous matches are never guessed and how to resolve them', () => {
    const decided = decideFailure(error('AMBIGUOUS_MATCH', { target: 'dispatcher' }), at(1));
    expect(decided.action === 'dead_letter' && decided.hint).toContain('objects.lead.match');
  });
});

describe('dispatch errors from the CRM error types', () => {
  it('keeps Salesforce codes, retry-after and named fields', () => {
    const sf = new SalesforceError({ code: 'RATE_LIMITED', sfCode: 'REQUEST_LIMIT_EXCEEDED', operation: 'update', message: 'TotalRequests Limit exceeded.', retryAfterMs: 5000 });
    expect(toDispatchError(sf)).toEqual({ code: 'RATE_LIMITED', target: 'salesforce', message: 'TotalRequests Limit exceeded.', crmCode: 'REQUEST_LIMIT_EXCEEDED', retryAfterMs: 5000 });
  });

  it('keeps monday codes, the column and the rejected value', () => {
    const monday = new MondayError('VALIDATION', 'This status label does not exist', { mondayCode: 'ColumnValueException', columnId: 'status', rejectedValue: { label: 'Foo' } });
    expect(toDispatchError(monday)).toMatchObject({ code: 'VALIDATION', target: 'monday', field: 'status', value: 'Foo' });
  });

  it('treats anything untyped as unexpected (bounded retries)', () => {
    expect(toDispatchError(new Error('socket hang up'))).toEqual({ code: 'UNEXPECTED', target: 'dispatcher', message: 'socket hang up' });
  });

  it("treats JavaScript's own errors (a bug met by the command) as INTERNAL_ERROR with the class and stack: a dead letter at once", () => {
    const dispatchError = toDispatchError(new TypeError("Cannot read properties of null (reading 'Name')"));
    expect(dispatchError).toMatchObject({ code: 'INTERNAL_ERROR', target: 'dispatcher', message: "TypeError: Cannot read properties of null (reading 'Name')" });
    expect(dispatchError.stack).toMatch(/failure-policy\.spec/);
    expect(decideFailure(dispatchError, at(1))).toMatchObject({ action: 'dead_letter', why: 'permanent', hint: expect.stringMatching(/a bug.*dead-letters\/<id>\/retry/) });
  });
});
