import { Client } from 'pg';

/**
 * "One instance at a time" for a named role (a subscriber, the CDC listener): a Postgres session
 * advisory lock on a dedicated connection. When the holder dies its connection drops, Postgres
 * releases the lock, and the next `tryAcquire` elsewhere succeeds.
 */
export class LeaderLock {
  private client: Client | null = null;
  private lostListeners: Array<() => void> = [];

  constructor(
    private readonly connectionString: string,
    readonly name: string,
  ) {}

  get held(): boolean {
    return this.client !== null;
  }

  async tryAcquire(): Promise<boolean> {
    if (this.client) return true;
    const client = new Client({ connectionString: this.connectionString, application_name: `crm-sync lock ${this.name}` });
    client.on('error', () => this.markLost(client));
    try {
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext('crm-sync'), hashtext($1)) AS locked",
        [this.name],
      );
      if (!rows[0]?.locked) {
        await client.end();
        return false;
      }
      client.on('end', () => this.markLost(client));
      this.client = client;
      return true;
    } catch {
      await client.end().catch(() => undefined);
      return false;
    }
  }

  /** The backend pid holding our lock connection (tests terminate it to simulate a dead instance). */
  async backendPid(): Promise<number | null> {
    if (!this.client) return null;
    const { rows } = await this.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return rows[0]?.pid ?? null;
  }

  onLost(listener: () => void): void {
    this.lostListeners.push(listener);
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    client.removeAllListeners('end');
    await client.query("SELECT pg_advisory_unlock(hashtext('crm-sync'), hashtext($1))", [this.name]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  private markLost(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    for (const listener of this.lostListeners) listener();
  }
}
