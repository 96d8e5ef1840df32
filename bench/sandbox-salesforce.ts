/**
 * bench/sandbox-salesforce: requests per second the Salesforce emulator sustains on loopback for
 * simple reads and writes (autocannon, bounded duration), so it never limits the service's own
 * benchmarks. Target: well above 1 500 writes/s on a 2-core machine.
 *
 *   npx tsx bench/sandbox-salesforce.ts [--duration 5] [--connections 20]
 */
import autocannon from 'autocannon';
import { startSalesforceEmulator } from '@crm-sync/sandbox';

const WRITE_TARGET_PER_SECOND = 1_500;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

async function main(): Promise<void> {
  const duration = option('duration', 5);
  const connections = option('connections', 20);
  const em = await startSalesforceEmulator({ dailyApiLimit: 1_000_000_000, tokenLifetimeMs: 24 * 3600_000 });
  try {
    const c = em.credentials;
    const tokenRes = await fetch(`${em.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret }),
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'sforce-call-options': 'client=bench' };
    const [leadId] = em.control.seed([{ type: 'Lead', fields: { LastName: 'Bench', Company: 'Bench Co' } }]);
    const v = '/services/data/v62.0';
    let updates = 0;
    const scenarios: Array<{ name: string; write: boolean; request: autocannon.Request }> = [
      { name: 'GET retrieve Lead', write: false, request: { method: 'GET', path: `${v}/sobjects/Lead/${leadId}` } },
      {
        name: 'GET query by Id',
        write: false,
        request: { method: 'GET', path: `${v}/query?q=${encodeURIComponent(`SELECT Id, Name, Owner.Email FROM Lead WHERE Id = '${leadId}'`)}` },
      },
      {
        name: 'POST create Lead',
        write: true,
        request: { method: 'POST', path: `${v}/sobjects/Lead`, body: JSON.stringify({ LastName: 'Load', Company: 'Load Co', Email: 'load@x.example' }) },
      },
      {
        name: 'PATCH update Lead',
        write: true,
        request: {
          method: 'PATCH',
          path: `${v}/sobjects/Lead/${leadId}`,
          // a different value each time, so every update is a real change with a change event
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ Title: `Bench title ${++updates}` }) }),
        },
      },
    ];
    console.log(`Salesforce emulator bench: ${connections} connections, ${duration} s per scenario`);
    let failed = false;
    for (const s of scenarios) {
      const result = await autocannon({ url: em.url, connections, duration, headers, requests: [s.request] });
      const rps = Math.round(result.requests.average);
      const ok = result.non2xx === 0 && result.errors === 0;
      const verdict = s.write ? (rps >= WRITE_TARGET_PER_SECOND ? 'ok' : `BELOW ${WRITE_TARGET_PER_SECOND}/s`) : 'ok';
      if (!ok || verdict !== 'ok') failed = true;
      console.log(
        `${s.name.padEnd(20)} ${String(rps).padStart(7)} req/s   p99 ${result.latency.p99} ms   non-2xx ${result.non2xx}   errors ${result.errors}   ${verdict}`,
      );
    }
    console.log(`change events retained: latest replay id ${em.changeEventLog.latestReplayId()}`);
    if (failed) process.exitCode = 1;
  } finally {
    await em.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
