import type { ChildService } from '../support/child-service';
import { RandomEditScript, type SeededRandom } from '../support/random-edits';
import { runMondayCatchUpJob } from './fault-quiet';
import type { FaultKind } from './fault-schedule';
import type { FaultWorld } from './fault-world';

export interface FaultRunOptions {
  /** Real milliseconds Postgres stays down on a restart (issue 20: 30 s; CI scales it down). */
  postgresOutageMs: number;
}

/**
 * Injects one fault of the schedule. Kills start a replacement instance in the background
 * (`restarts`), so the schedule goes on while it boots, as an orchestrator would restart it.
 */
export class FaultActions {
  readonly restarts: Array<Promise<unknown>> = [];
  readonly notes: string[] = [];

  constructor(
    private readonly world: FaultWorld,
    private readonly random: SeededRandom,
    private readonly script: RandomEditScript,
    private readonly options: FaultRunOptions,
  ) {}

  async inject(kind: FaultKind): Promise<void> {
    const sf = this.world.sandbox.salesforce.control;
    const md = this.world.sandbox.monday.control;
    switch (kind) {
      case 'kill_random':
        await new Promise((resolve) => setTimeout(resolve, this.random.int(0, 1500)));
        return this.killAndReplace(this.random.pick(this.world.live()));
      case 'kill_leader':
        return this.killAndReplace((await this.world.leader()) ?? this.random.pick(this.world.live()));
      case 'kill_projector_batch': {
        for (let i = 0; i < 25; i++) this.script.step();
        return this.killAndReplace((await this.world.leader()) ?? this.random.pick(this.world.live()));
      }
      case 'kill_in_flight': {
        // The next Salesforce writes are held at the emulator: a command is in flight, its outcome unknown.
        sf.injectFault({ kind: 'latency', latencyMs: 2_000, times: 3, pathContains: '/sobjects', method: 'PATCH' });
        sf.injectFault({ kind: 'latency', latencyMs: 2_000, times: 3, pathContains: '/sobjects', method: 'POST' });
        for (let i = 0; i < 6; i++) this.script.step();
        const inFlight = await this.waitForInFlight(5_000);
        this.notes.push(`kill_in_flight: ${inFlight ? 'a command was in flight' : 'no command seen in flight'}`);
        // Which instance claimed it is not recorded: every instance dies, so its holder certainly does.
        for (const instance of this.world.live()) await this.killAndReplace(instance);
        return;
      }
      case 'postgres_restart':
        this.world.postgres.stop();
        await this.editsFor(this.options.postgresOutageMs);
        this.world.postgres.start();
        return;
      case 'salesforce_lost_response':
        sf.injectFault({ kind: 'commit_then_drop', times: 1, pathContains: '/sobjects', method: this.random.chance(0.5) ? 'POST' : 'PATCH' });
        return;
      case 'monday_lost_response':
        md.addFault({ kind: 'lost_response', count: 1, operation: this.random.chance(0.5) ? 'create_item' : 'change_multiple_column_values' });
        return;
      case 'session_revoked':
        sf.expireSessions();
        return;
      case 'cdc_redelivery':
        sf.redeliverChangeEvents(this.random.int(1, 20));
        if (this.random.chance(0.5)) sf.dropCometdClients();
        return;
      case 'cdc_reorder':
        sf.holdChangeEventChannel(this.random.pick(['/data/AccountChangeEvent', '/data/OpportunityChangeEvent']), this.random.int(500, 4_000));
        return;
      case 'monday_outage':
        return this.mondayOutage();
      case 'replay_expired':
        return this.replayExpired();
    }
  }

  /** The instances a schedule must end with: two, all started. */
  async settle(): Promise<void> {
    await Promise.all(this.restarts);
    while (this.world.live().length < 2) await this.world.startInstance();
  }

  private async killAndReplace(instance: ChildService | undefined): Promise<void> {
    if (!instance) return;
    await this.world.kill(instance);
    this.restarts.push(this.world.startInstance());
  }

  private async waitForInFlight(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await this.world.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status = 'in_flight'");
      if (rows[0].n > 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  /** Human edits go on while a fault lasts. */
  private async editsFor(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      this.script.step();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * monday's API answers 500 and the receiver is unreachable (no instance behind the balancer) while
   * people keep editing; the outage lasts 41 minutes, past monday's 30 minutes of once-a-minute
   * retries: every pending delivery goes through its retries and is given up, and monday forgets the
   * Idempotency-Key answers it gave before the outage (kept 30 minutes). Then everything comes back
   * and the monday catch-up job runs (its cron is every 10 minutes) and finds the edits.
   *
   * No clock moves: advancing both CRMs' clocks 41 minutes (as before) put them 41 minutes ahead of
   * the service's own clock, and the decision times our writes by the service's clock and monday's
   * changes by monday's (the expired replay id's lesson, seed 521).
   */
  private async mondayOutage(): Promise<void> {
    const md = this.world.sandbox.monday.control;
    const began = Date.now();
    await Promise.all(this.restarts);
    const restarted = Date.now();
    const targets = this.world.proxy.targets.splice(0, this.world.proxy.targets.length);
    md.addFault({ kind: 'http_500', ratio: 1 });
    for (let edit = 0; edit < 10; edit++) {
      this.script.step();
      // Each edit's first delivery is refused before the next edit (the outage's real order).
      await md.waitForWebhooks();
    }
    const edited = Date.now();
    await md.exhaustWebhookRetries();
    md.expireIdempotencyKeys();
    const exhausted = Date.now();
    // Take the outage's 500s away again (the background faults stay).
    const remaining = md.faults().filter((f) => !(f.kind === 'http_500' && f.ratio === 1));
    md.clearFaults();
    for (const fault of remaining) md.addFault(fault);
    this.world.proxy.targets.push(...targets.filter((t) => this.world.live().some((i) => i.url === t)));
    const gaveUp = md.webhookDeliveries().filter((d) => d.outcome === 'gave_up').length;
    const appended = await runMondayCatchUpJob(this.world);
    const s = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;
    this.notes.push(
      `monday_outage: ${gaveUp} deliveries given up, catch-up appended ${appended}; restarts awaited ${s(began, restarted)}, edits ${s(restarted, edited)}, retries ${s(edited, exhausted)}, catch-up ${s(exhausted, Date.now())}`,
    );
  }

  /**
   * Every instance down; Salesforce changes meanwhile; the retained change events expire, as after
   * the 72-hour retention, so the stored replay ids are invalid when the instances come back (CDC
   * gap: the service must ask for a targeted catch-up). monday retries the webhooks of the edits
   * made meanwhile and delivers them late.
   *
   * No clock moves: advancing both CRMs' clocks by 73 hours (as before) put them 73 hours ahead of
   * the service's own clock, which no deployment sees, and the decision compares monday's change
   * times with the send times of our writes, taken on the service's clock. Every monday edit then
   * looked later than any write of ours, so a person's edit that our write had overwritten on monday,
   * delivered late, was sent to Salesforce while monday kept our write (seed 521: Description).
   */
  private async replayExpired(): Promise<void> {
    for (const instance of this.world.live()) await this.world.kill(instance);
    await Promise.all(this.restarts);
    for (const instance of this.world.live()) await this.world.kill(instance);
    for (let i = 0; i < 8; i++) this.script.step();
    this.world.sandbox.salesforce.control.expireChangeEvents();
    this.restarts.push(this.world.startInstance(), this.world.startInstance());
  }
}
