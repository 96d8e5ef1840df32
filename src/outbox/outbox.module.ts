import { Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { startOutboxDispatch, type OutboxDispatchInput, type RunningOutboxDispatch } from './index';

/**
 * The dispatcher of a running service as a provider: Nest starts it (LISTEN for outbox inserts, the
 * claim loop, its /health check) when the sync's context boots, and stops it (the batch in flight
 * finishes, leases are given back) before that context closes.
 */
export class OutboxDispatchService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private dispatch: RunningOutboxDispatch | null = null;

  constructor(private readonly input: OutboxDispatchInput) {}

  /** The running dispatch (its dispatcher: tests wait for it to be idle). */
  get running(): RunningOutboxDispatch {
    if (!this.dispatch) throw new Error('the outbox dispatcher has not started (its Nest context is not initialised)');
    return this.dispatch;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.dispatch = await startOutboxDispatch(this.input);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.dispatch?.stop();
    this.dispatch = null;
  }
}

/** The outbox of a running service: its dispatcher (OutboxDispatchService). */
@Module({})
export class OutboxModule {
  static forRoot(input: OutboxDispatchInput): DynamicModule {
    return {
      module: OutboxModule,
      providers: [{ provide: OutboxDispatchService, useFactory: () => new OutboxDispatchService(input) }],
      exports: [OutboxDispatchService],
    };
  }
}
