// The orders one engine run's resources hold, which a reconcile or the duplicate guard never takes
// for another resource's, and the order requests still in flight, which a reconcile waits for
// first (their orders are about to be held). Part of the run context.

/** The run's clock (run-context.ts), so that a test's own clock can skip the quiet wait. */
export interface LedgerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export class OrderLedger {
  readonly held = new Set<string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private queue: Promise<unknown> = Promise.resolve();
  private lastShown: number;

  constructor(private readonly clock: LedgerClock) {
    this.lastShown = clock.now();
  }

  /** The engine showed this process a resource (check, diff, read...): the program is still declaring. */
  shown(): void {
    this.lastShown = this.clock.now();
  }

  /**
   * Resolves once the engine has shown no resource for \`quietMs\` (at most \`maxMs\` from now): by
   * then the resources a program declares together have all been shown, with the orders they hold.
   * The engine says nothing when a program has declared its last resource, so quiet is the signal.
   */
  async quiet(quietMs: number, maxMs: number): Promise<void> {
    const deadline = this.clock.now() + maxMs;
    for (;;) {
      const wait = Math.min(this.lastShown + quietMs, deadline) - this.clock.now();
      if (wait <= 0) return;
      await this.clock.sleep(wait);
    }
  }

  /** Runs an order request, known as in flight until it settles. */
  async sending<T>(send: () => Promise<T>): Promise<T> {
    const p = send();
    this.inFlight.add(p);
    try {
      return await p;
    } finally {
      this.inFlight.delete(p);
    }
  }

  /**
   * Runs reconciles one at a time, each once the order requests in flight have settled, so that
   * two resources never adopt the same order.
   */
  reconciling<T>(look: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      await Promise.allSettled([...this.inFlight]);
      return look();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
