/**
 * Runs the requests of one board one after another. monday warns that concurrent writes to one
 * board can corrupt it or fail with "423 Resource is currently locked" (monday.md 4); different
 * boards still run in parallel. A task's failure does not stop the tasks queued behind it.
 */
export class BoardQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(boardId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(boardId) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(boardId, tail);
    void tail.then(() => {
      if (this.tails.get(boardId) === tail) this.tails.delete(boardId);
    });
    return result;
  }

  /** Boards with a request queued or running (tests, metrics). */
  get busyBoards(): number {
    return this.tails.size;
  }
}
