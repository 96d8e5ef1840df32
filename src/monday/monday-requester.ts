import { BoardQueue } from './board-queue';
import { MondayCallCounter, type MondayApiUsage } from './monday-call-counter';
import type { ComplexityBudget, ComplexityReading, CostParts, Reservation } from './complexity-budget';
import type { GraphqlTransport } from './graphql-transport';
import { MondayError } from './monday.error';
import { mondayComplexityCost, mondayComplexityRemaining, mondayRequestSeconds, mondayRequests, mondayThrottled } from './monday-metrics';
import { fromTransportFailure, interpretAnswer, type InterpretedAnswer } from './translate-monday-error';

export interface MondayRequest {
  /** Metric label and default cost key, e.g. `boards`, `mutation_batch`. */
  operation: string;
  document: string;
  variables: Record<string, unknown>;
  /** Requests naming a board run one at a time for that board. */
  boardId?: string;
  /** Cost prediction; defaults to one unit of `operation`. */
  cost?: CostParts;
  /** Sent as is (mutations: `Idempotency-Key`). */
  headers?: Record<string, string>;
}

const MUTATION = /^\s*mutation\b/;
const READ_RETRIES = 3;
const TRANSIENT_READ_BACKOFF_MS = 250;

/**
 * A successful request: data plus the errors of individual fields (aliases), if any; `replayed`
 * when monday answered from its Idempotency-Key cache (the request did not run again).
 */
export type MondayAnswer = Pick<InterpretedAnswer, 'data' | 'fieldErrors' | 'requestId'> & { data: Record<string, unknown>; replayed: boolean };

/**
 * Sends one request through the board's queue and the complexity pacer, and turns a whole-request
 * failure into a thrown MondayError. The token never appears in what it throws.
 */
export class MondayRequester {
  private readonly queue = new BoardQueue();
  private readonly calls: MondayCallCounter;

  constructor(
    private readonly transport: GraphqlTransport,
    private readonly budget: ComplexityBudget,
    private readonly secret: string,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.calls = new MondayCallCounter(now);
  }

  /** Calls made today and the last known budget (operator console, alerts). */
  usage(): MondayApiUsage {
    return this.calls.usage(this.budget.snapshot().remaining);
  }

  /**
   * A query is retried here when throttled (after the pacer's wait) or failing transiently (5xx,
   * network, timeout; with backoff), up to READ_RETRIES times: repeating a read is harmless, and one
   * 500 among a catch-up's dozens of reads must not fail the whole run (fault seed 3113). A mutation
   * is sent once: whether and when to repeat it is the outbox's decision (idempotency keys, budgets).
   */
  async execute(request: MondayRequest): Promise<MondayAnswer> {
    if (MUTATION.test(request.document)) return this.executeOnce(request);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.executeOnce(request);
      } catch (error) {
        if (!(error instanceof MondayError) || attempt >= READ_RETRIES) throw error;
        if (error.code === 'TRANSIENT') await this.sleep(TRANSIENT_READ_BACKOFF_MS * 2 ** attempt);
        else if (error.code !== 'RATE_LIMITED') throw error;
      }
    }
  }

  private executeOnce(request: MondayRequest): Promise<MondayAnswer> {
    return request.boardId === undefined ? this.send(request) : this.queue.run(request.boardId, () => this.send(request));
  }

  private async send(request: MondayRequest): Promise<MondayAnswer> {
    let reservation: Reservation;
    try {
      reservation = await this.budget.acquire(request.cost ?? [[request.operation, 1]]);
    } catch (error) {
      throw error instanceof MondayError ? this.fail(request, error) : error;
    }
    const stopTimer = mondayRequestSeconds.startTimer({ operation: request.operation });
    this.calls.counted();
    let interpreted: InterpretedAnswer;
    let replayed: boolean;
    try {
      const answer = await this.transport.send(request.document, request.variables, request.headers);
      replayed = answer.replayed === true;
      interpreted = interpretAnswer(answer, this.now());
    } catch (cause) {
      this.budget.settle(reservation, null);
      stopTimer();
      throw this.fail(request, fromTransportFailure(cause));
    }
    stopTimer();
    const { requestError } = interpreted;
    if (requestError?.code === 'RATE_LIMITED') {
      this.budget.throttled(reservation, requestError);
      if (requestError.details.limit === 'daily') this.calls.dailyLimitReached(requestError.retryAfterMs);
      mondayThrottled.inc({ limit: requestError.details.limit ?? 'unknown' });
      throw this.fail(request, requestError);
    }
    this.settle(request, reservation, interpreted.data);
    if (requestError) throw this.fail(request, requestError);
    if (interpreted.data === null) throw this.fail(request, new MondayError('PERMANENT', 'monday answered without data'));
    this.calls.answered();
    this.budget.answered();
    mondayRequests.inc({ operation: request.operation, outcome: 'ok' });
    return { data: interpreted.data, fieldErrors: this.scrubAll(interpreted.fieldErrors), requestId: interpreted.requestId, replayed };
  }

  private settle(request: MondayRequest, reservation: Reservation, data: Record<string, unknown> | null): void {
    const reading = readComplexity(data);
    this.budget.settle(reservation, reading);
    if (reading) {
      mondayComplexityRemaining.set(reading.after);
      mondayComplexityCost.inc({ operation: request.operation }, reading.query);
    }
  }

  private fail(request: MondayRequest, error: MondayError): MondayError {
    mondayRequests.inc({ operation: request.operation, outcome: error.code });
    return this.scrub(error.withContext({ boardId: request.boardId }));
  }

  private scrubAll(errors: Map<string, MondayError>): Map<string, MondayError> {
    for (const [key, error] of errors) errors.set(key, this.scrub(error));
    return errors;
  }

  /** Defence in depth: monday never echoes the token, but a proxy's error page might. */
  private scrub(error: MondayError): MondayError {
    if (!this.secret || !error.message.includes(this.secret)) return error;
    return new MondayError(error.code, error.message.split(this.secret).join('[redacted]'), error.details);
  }
}

function readComplexity(data: Record<string, unknown> | null): ComplexityReading | null {
  const c = data?.complexity;
  if (typeof c !== 'object' || c === null) return null;
  const { before, after, query, reset_in_x_seconds: reset } = c as Record<string, unknown>;
  if (typeof after !== 'number' || typeof query !== 'number') return null;
  return {
    before: typeof before === 'number' ? before : after + query,
    after,
    query,
    resetInSeconds: typeof reset === 'number' ? reset : 60,
  };
}
