// The evidence the duplicate guard acts on: a create of this resource that an earlier engine run
// began and never finished (its pending create in the stack's checkpoint, checkpoint.ts). Each
// such attempt gives the window in which its order, if its request went out, reached BSS: from
// when it began (the marker check records in the inputs of a new resource) to the longest its
// request could have taken. Pure: no I/O.
import { ATTEMPT_MARKER_KEY, RESOURCE_NAME_KEY } from "../contract/resource-keys";

/** BSS's clock may differ a little from this machine's (as a reconcile's window allows). */
export const CLOCK_SKEW_MS = 2 * 60 * 1000;
/** Between a resource's check and its create the engine may wait for a free step worker. */
export const ENGINE_GAP_MS = 60 * 1000;

export interface Window {
  from: Date;
  to: Date;
  /**
   * An order created up to then is the attempt's first request's, which the resource may take
   * without asking; one created later (after retries, a reconcile, a resend) may as well be
   * another stack's, so the guard stops and names it. Never after `to`; `from` takes none.
   */
  takeUntil: Date;
  /** What the window stands for, for messages. */
  why: string;
}

export interface AttemptBudget {
  /** Attempts of one request (maxRetries + 1), each up to connect + response timeouts. */
  maxAttempts: number;
  connectMs: number;
  responseMs: number;
  /** The longest wait before a retry. */
  maxWaitMs: number;
  /** orderReconcileSeconds: an unknown outcome is looked up that long before the one resend. */
  reconcileMs: number;
  /** duplicateOrderWindowMinutes: the window of a pending create that carries no marker. */
  unmarkedWindowMinutes: number;
}

/**
 * How long after its check an attempt's order can have reached BSS: the engine's gap before
 * create, the request with its retries, and, after an unknown outcome, the reconcile and the one
 * resend with its retries.
 */
export function attemptSpanMs(b: AttemptBudget): number {
  const send = b.maxAttempts * (b.connectMs + b.responseMs) + Math.max(0, b.maxAttempts - 1) * b.maxWaitMs;
  return ENGINE_GAP_MS + send + b.reconcileMs + send;
}

/** How long after its check an attempt's first request can have reached BSS: the engine's gap, one attempt. */
export function firstRequestSpanMs(b: AttemptBudget): number {
  return ENGINE_GAP_MS + b.connectMs + b.responseMs;
}

/** Whether `createdAt` (BSS's time) is one the attempt's first request could have made. */
export function takenWithoutAsking(
  createdAt: string | null | undefined,
  windows: readonly Window[],
): boolean {
  const at = typeof createdAt === "string" ? Date.parse(createdAt) : NaN;
  return Number.isFinite(at) && windows.some((w) => at >= w.from.getTime() && at <= w.takeUntil.getTime());
}

export interface ResourceIdentity {
  /** The type token (pulumi-nodejs:dynamic/huaweicloud:<Kind>). */
  type: string;
  /** The resource's name (its `resourceName` input; the URN's last part). */
  name: string;
}

interface PendingLike {
  urn: string;
  type: string;
  inputs: Readonly<Record<string, unknown>>;
}

/** Whether a pending create is this resource's: same type, same name. */
function isThisResource(p: PendingLike, r: ResourceIdentity): boolean {
  if (p.type !== r.type) return false;
  const named = p.inputs[RESOURCE_NAME_KEY];
  return typeof named === "string" ? named === r.name : p.urn.endsWith(`::${r.name}`);
}

/**
 * The windows to search, one per earlier attempt of this resource: none when the checkpoint holds
 * no pending create of it from before this run (`runStartedAt`). An attempt with a marker spans
 * its own time; one without (an earlier release's) the `unmarkedWindowMinutes` before this run,
 * none when that is 0.
 */
export function attemptWindows(
  pending: readonly PendingLike[],
  resource: ResourceIdentity,
  runStartedAt: number,
  budget: AttemptBudget,
): Window[] {
  const windows: Window[] = [];
  for (const p of pending) {
    if (!isThisResource(p, resource)) continue;
    const marker = p.inputs[ATTEMPT_MARKER_KEY];
    const began = typeof marker === "string" ? Date.parse(marker) : NaN;
    if (Number.isFinite(began)) {
      if (began >= runStartedAt) continue; // this run's own create
      const to = Math.min(began + attemptSpanMs(budget), runStartedAt) + CLOCK_SKEW_MS;
      windows.push({
        from: new Date(began - CLOCK_SKEW_MS),
        to: new Date(to),
        takeUntil: new Date(Math.min(began + firstRequestSpanMs(budget) + CLOCK_SKEW_MS, to)),
        why: `the create begun at ${new Date(began).toISOString()} and interrupted`,
      });
    } else if (budget.unmarkedWindowMinutes > 0) {
      const from = new Date(runStartedAt - budget.unmarkedWindowMinutes * 60_000 - CLOCK_SKEW_MS);
      windows.push({
        from,
        to: new Date(runStartedAt + CLOCK_SKEW_MS),
        takeUntil: from, // no time recorded: never taken without asking
        why:
          `an interrupted create of an earlier release (no time recorded): new orders of the last ` +
          `${budget.unmarkedWindowMinutes} minutes`,
      });
    }
  }
  return windows;
}
