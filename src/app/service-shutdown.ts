import type { BeforeApplicationShutdown, OnApplicationShutdown } from '@nestjs/common';
import type { BatchingAppender } from '../event-store';
import type { ServiceLifecycle } from '../ingest/service-lifecycle';
import type { Logger } from '../observability/logger';

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * The graceful stop as Nest lifecycle hooks, so `app.close()` (SIGTERM) runs it in order. Before the
 * HTTP server closes: new webhooks get 503, in-flight appends finish, the sync stops (its runners
 * finish or release their work and locks). After it closed: the connections go (`release`).
 */
export class ServiceShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly running: Stoppable[] = [];

  constructor(
    private readonly parts: { lifecycle: ServiceLifecycle; appender: BatchingAppender; logger: Logger },
    private readonly release: () => Promise<void>,
  ) {}

  /** A long-running part started after the app (the sync): stopped, newest first, while HTTP still answers. */
  add(part: Stoppable): void {
    this.running.push(part);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.parts.lifecycle.startDraining();
    this.parts.logger.info('shutting down: new webhooks get 503, finishing in-flight work');
    await this.parts.appender.idle();
    for (const part of [...this.running].reverse()) await part.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.release();
  }
}
