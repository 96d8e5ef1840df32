import pino from 'pino';
import { retryAtStart } from '../../src/app/retry-at-start';
import { MondayError } from '../../src/monday/monday.error';
import { SalesforceError } from '../../src/salesforce/salesforce.error';

const logger = pino({ level: 'silent' });
const noSleep = async (): Promise<void> => undefined;

describe('start-up reads of a CRM retry transient failures (a monday 500 at start must not stop the service)', () => {
  it('tries again after a monday 5xx and a Salesforce 503, then returns the value', async () => {
    const failures: Error[] = [
      new MondayError('TRANSIENT', 'monday answered 500'),
      new SalesforceError({ code: 'TRANSIENT', message: 'Service Unavailable', operation: 'describe' } as ConstructorParameters<typeof SalesforceError>[0]),
    ];
    let calls = 0;
    const value = await retryAtStart('boards', async () => {
      calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return 'schemas';
    }, logger, { sleep: noSleep });
    expect(value).toBe('schemas');
    expect(calls).toBe(3);
  });

  it('throws a permanent error at once (a bad token is not waited out)', async () => {
    let calls = 0;
    const failing = retryAtStart('me', async () => {
      calls++;
      throw new MondayError('UNAUTHORIZED', 'Not Authenticated');
    }, logger, { sleep: noSleep });
    await expect(failing).rejects.toThrow('Not Authenticated');
    expect(calls).toBe(1);
  });

  it('gives up with the last transient error once the time is spent', async () => {
    const failing = retryAtStart('me', async () => {
      throw new MondayError('TRANSIENT', 'still 500');
    }, logger, { totalMs: 0, sleep: noSleep });
    await expect(failing).rejects.toThrow('still 500');
  });
});
