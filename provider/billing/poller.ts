// One poller for every wait on BSS (following an order, reconciling one, waiting for an
// unsubscription), in the manner of Terraform's "state change conf" and AWS's waiters: a `look`
// step reads once and says whether the wait is over (done), not yet (pending, with a line to tell
// the operator), or worth a second read at once (again); an error it throws ends the wait. Between
// looks the poller sleeps the poll interval, never past the deadline; at the deadline it hands
// what the last look learnt to the caller's `timedOut`, which returns the outcome or throws the
// caller's own error. Pure: the clock and the sleep can be injected, and nothing here knows BSS.

/** What one look found. */
export type Step<T, L> =
  | { readonly kind: "done"; readonly value: T }
  | { readonly kind: "pending"; readonly line: string | undefined; readonly learnt: L }
  | { readonly kind: "again" };

/** The wait is over, with its outcome. */
export const done = <T>(value: T): { readonly kind: "done"; readonly value: T } => ({ kind: "done", value });

/** Not yet: tell `line` (unless it was the line told last), and keep what was learnt for the deadline. */
export const pending = <L>(
  line: string | undefined,
  learnt: L,
): { readonly kind: "pending"; readonly line: string | undefined; readonly learnt: L } => ({
  kind: "pending",
  line,
  learnt,
});

/** Look again at once, without sleeping or checking the deadline (e.g. after an action moved things on). */
export const again = (): { readonly kind: "again" } => ({ kind: "again" });

/** What a look can ask of the poller. */
export interface Turn {
  /** 0 for the first look, then 1, 2, ... */
  readonly attempt: number;
  /** Milliseconds left until the deadline, as of now (0 or less: the deadline has passed). */
  left(): number;
  /** Tells the operator a line, unless it is the line told last (status by status, not look by look). */
  tell(line: string): Promise<void>;
}

export interface PollOptions<T, L> {
  look: (turn: Turn) => Promise<Step<T, L>>;
  /** How long the wait may last, from `startedAt`. */
  timeoutMs: number;
  /** When the wait started, on `now`'s clock; by default when `poll` is called. */
  startedAt?: number;
  /** How long to sleep between looks (less when the deadline is nearer). */
  pollMs: number;
  /** Where progress lines go; by default nowhere. */
  tell?: (line: string) => Promise<void>;
  /**
   * The last look was pending and the deadline has passed: returns the outcome, or throws the
   * caller's own error, from what that look learnt and how long the wait lasted.
   */
  timedOut: (learnt: L, elapsedMs: number) => T | Promise<T>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const realSleep = (ms: number): Promise<void> =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Looks until a look is done, a look throws, or the deadline passes after a pending look. */
export async function poll<T, L>(options: PollOptions<T, L>): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const startedAt = options.startedAt ?? now();
  const deadline = startedAt + options.timeoutMs;
  let told: string | undefined;
  const tell = async (line: string): Promise<void> => {
    if (line === told) return;
    told = line;
    await options.tell?.(line);
  };
  const left = (): number => deadline - now();
  for (let attempt = 0; ; attempt++) {
    const step = await options.look({ attempt, left, tell });
    if (step.kind === "done") return step.value;
    if (step.kind === "again") continue;
    if (step.line !== undefined) await tell(step.line);
    const remaining = left();
    if (remaining <= 0) return options.timedOut(step.learnt, now() - startedAt);
    await sleep(Math.min(options.pollMs, remaining));
  }
}
