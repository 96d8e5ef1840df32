import { runsView } from '../../src/console/views/runs';
import type { PageContext } from '../../src/console/views/layout';

/** The Backfill & reconcile page lists runs read from reconcile_runs, whichever instance runs them. */
describe('console runs view', () => {
  const page = { csrf: 'token', notice: null } as unknown as PageContext;

  it("shows each run's instance, status and summary, and refreshes itself while one is running", () => {
    const body = String(
      runsView(page, [], ['lead'], [
        { id: 7, objectKey: 'lead', status: 'running', startedAt: new Date(), finishedAt: null, startedBy: 'host-b:42', summary: null, error: null },
        {
          id: 6,
          objectKey: 'contact',
          status: 'done',
          startedAt: new Date(Date.now() - 60_000),
          finishedAt: new Date(),
          startedBy: 'host-a:7',
          summary: { driftCount: 3, eventsAppended: 2, drifts: [{ kind: 'value_differs', salesforceId: '003A', itemId: '9', column: 'email', salesforceField: 'Email', fix: 'salesforce' }] },
          error: null,
        },
      ], true),
    );
    expect(body).toContain('data-refresh="3"');
    expect(body).toMatch(/data-reconcile-run="7"><td>lead<\/td><td>[^<]*<\/td><td>host-b:42<\/td><td>running/);
    expect(body).toMatch(/data-reconcile-run="6">.*host-a:7.*done.*<td>3/s);
    expect(body).toContain('value_differs');
  });
});
