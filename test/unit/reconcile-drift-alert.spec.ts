import { formatDriftAlert } from '../../src/alerts/reconcile-drift-alert';

describe('scheduled reconcile drift alert', () => {
  it('gives counts per object and kind, what is new, and whether it was repaired; never values', () => {
    const text = formatDriftAlert({ total: 3, newSinceLastRun: 1, fix: false, objects: [{ objectKey: 'account', kinds: { value_differs: 2, not_linked: 1 } }, { objectKey: 'lead', kinds: {} }] });
    expect(text).toContain('found 3 drift(s), 1 new since the last run');
    expect(text).toContain('account: value_differs 2, not_linked 1');
    expect(text).not.toContain('lead:');
    expect(text).toContain('crm-sync reconcile --fix');
  });
});
