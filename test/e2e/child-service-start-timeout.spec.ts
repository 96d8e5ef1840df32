import { ServiceStartTimeout, startChildService } from '../support/child-service';
import { expectEventually } from '../support/eventually';

/**
 * The test harness's `crm-sync start` child: a start that outlives its bound must not go on running.
 * The fault campaign found why: under load a replacement instance took longer than the bound, the
 * harness started another, and the first one joined the database unseen (a third instance holding
 * leader locks the harness could not find or kill).
 */
describe('startChildService when the service does not start in time', () => {
  it('rejects naming the process and kills it', async () => {
    const failure = await startChildService({ PORT: '0', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }, 1).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ServiceStartTimeout);
    const pid = (failure as ServiceStartTimeout).pid as number;
    expect(pid).toBeGreaterThan(0);
    await expectEventually(() => expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' })), { timeoutMs: 30_000 });
  });
});
