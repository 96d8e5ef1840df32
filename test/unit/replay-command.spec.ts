import { CliError } from '../../src/cli/cli-error';
import { replayCommand } from '../../src/cli/commands/replay.command';

describe('crm-sync replay --projection (issue 14: accepted, then ignored)', () => {
  it('a name other than the one projection is an error naming it, before anything is read or reset', async () => {
    for (const name of ['links', 'state', 'to-monday', 'nonsense']) {
      const refused = replayCommand({ projection: name });
      await expect(refused).rejects.toBeInstanceOf(CliError);
      await expect(refused).rejects.toThrow(`--projection "${name}": the only projection is "sync"`);
    }
  });
});
