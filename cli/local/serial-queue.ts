/**
 * Local mode handles one event at a time, in arrival order (as one Lambda with reserved concurrency 1 would): a
 * build state change reported while a trunk event is being handled waits until that handler has recorded the build.
 * A failing job is reported and never stops the queue.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly onError: (label: string, error: unknown) => void) {}

  /** Queues a job; resolves when it has run (never rejects). */
  push(label: string, job: () => Promise<void>): Promise<void> {
    this.pending += 1;
    const run = this.tail.then(async () => {
      try {
        await job();
      } catch (error) {
        this.onError(label, error);
      } finally {
        this.pending -= 1;
      }
    });
    this.tail = run;
    return run;
  }

  get size(): number {
    return this.pending;
  }

  /** Resolves when every job queued so far, and every job they queued, has run. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }
}
