// Reconciles an order request whose outcome is unknown (a timeout after it was sent, a connection
// reset, a 5xx) with what BSS knows, before anything is sent again: an order with a known id (DIS)
// is read by that id; any other (MetaStudio) is looked for among the account's new orders of its
// service created around the time the request was sent, line item by line item. BSS may show a
// new order a moment after its service accepted it, so "not placed" is concluded only once BSS
// has shown nothing for `settleMs` after the request was sent (docs/recovery.md "When an order's outcome is
// unknown"). Nothing here sends an order.
import { bss } from "../client";
import type { ExpectedLine } from "../orders/order-kind";
import { done, pending, poll } from "./poller";

/**
 * The window around the time the request was sent: BSS's create_time is in whole seconds, set by
 * Huawei's clock, which may differ from this machine's by a little.
 */
export const WINDOW_MARGIN_MS = 2 * 60 * 1000;
const ONE_TIME = 5;
const COMPLETED = bss.ORDER_STATUS.completed;

// ---- matching (pure) ----

export interface Verdict {
  matches: boolean;
  /** Why not, or what was compared. */
  detail: string;
}

const describeLine = (l: ExpectedLine) =>
  `period_type ${l.periodType}${l.periodType === ONE_TIME ? "" : ` × ${l.periodNum}`}, ` +
  `subscription_num ${l.subscriptionNum}`;

/**
 * Whether BSS's line items are the lines the request asked for: as many, and each with the same
 * period type, period count (unless one-time) and quantity, in any order. A field BSS leaves out
 * (or gives as null) refutes nothing: concluding "not placed" from a missing field could buy twice.
 */
export function compareLines(
  expected: readonly ExpectedLine[],
  actual: readonly bss.OrderLineItem[],
): Verdict {
  if (expected.length !== actual.length) {
    return { matches: false, detail: `${actual.length} line items, not ${expected.length}` };
  }
  const left = [...actual];
  for (const line of expected) {
    const i = left.findIndex(
      (a) =>
        same(a.periodType, line.periodType) &&
        same(a.subscriptionNum, line.subscriptionNum) &&
        (line.periodType === ONE_TIME || same(a.periodNum, line.periodNum)),
    );
    if (i < 0) return { matches: false, detail: `no line item with ${describeLine(line)}` };
    left.splice(i, 1);
  }
  return { matches: true, detail: `line items (${expected.map(describeLine).join("; ")})` };
}

/** A value BSS gave equals the expected one; one it did not give matches anything. */
const same = (given: number | undefined, expected: number) => given === undefined || given === expected;

/**
 * Whether the order's main resources carry the resource specs asked for (as many of each). Only
 * what BSS lists can be compared: no resources listed (not provisioned yet), or none that names
 * its spec, compares nothing and refutes nothing.
 */
export function compareSpecs(
  expected: readonly ExpectedLine[],
  resources: readonly bss.OrderResource[],
): Verdict {
  const specs = resources.filter((r) => r.isMainResource).map((r) => r.resourceSpecCode);
  if (specs.length === 0 || specs.some((s) => s === undefined)) {
    return { matches: true, detail: "" };
  }
  const want = expected.map((l) => l.resourceSpecCode).sort();
  const have = (specs as string[]).sort();
  return JSON.stringify(want) === JSON.stringify(have)
    ? { matches: true, detail: `resource specs (${want.join(", ")})` }
    : { matches: false, detail: `resource specs ${have.join(", ")}, not ${want.join(", ")}` };
}

/** The creation window searched for a request sent at `sentAt`, looked at `now`. */
export function searchWindow(sentAt: Date, now: Date): { from: Date; to: Date } {
  return {
    from: new Date(Math.floor((sentAt.getTime() - WINDOW_MARGIN_MS) / 1000) * 1000),
    to: new Date(Math.ceil((now.getTime() + WINDOW_MARGIN_MS) / 1000) * 1000),
  };
}

// ---- looking through BSS ----

export interface Candidate {
  orderId: string;
  createdAt: string | null;
  status: number;
}

export type Reconciled =
  | { kind: "found"; orderId: string; createdAt: string | null; compared: string }
  | { kind: "not-placed"; lookedFor: string }
  | { kind: "ambiguous"; candidates: Candidate[] };

/** BSS could not answer (an error, no permission): nothing can be concluded. */
export class ReconcileFailed extends Error {}

export interface ReconcileRequest {
  client: bss.BssClient;
  /** "MetaStudioSubscription 'x'", for messages. */
  label: string;
  sentAt: Date;
  /** The order's id when the request names it (DIS): looked up by id. */
  orderId?: string;
  serviceTypeCode: string;
  /** Without orderId: the line items the order has. */
  lines?: readonly ExpectedLine[];
  /**
   * Service type codes of other order kinds. Before concluding "not placed", the window is listed
   * once more without the service filter, and any order with matching line items and a code not
   * in this list stops the reconcile as a candidate: no page this project read confirms
   * MetaStudio's code, and a wrong filter must never make a placed order look absent.
   */
  otherServiceTypeCodes?: readonly string[];
  /** Orders this process already holds for other resources: never candidates. */
  held: ReadonlySet<string>;
  settleMs: number;
  pollMs: number;
  progress: (line: string) => Promise<void>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Looks until the order is found, several match, or BSS has shown none for settleMs after sentAt. */
export async function reconcileOrder(req: ReconcileRequest): Promise<Reconciled> {
  const now = req.now ?? Date.now;
  const deadline = req.sentAt.getTime() + req.settleMs;
  const refuted = new Set<string>(); // orders whose line items differ: they never change
  let waiting: string | undefined; // told once: the window it names moves on with every look
  // Concluded only by a look that started once the settle time had passed.
  const conclude = async (looked: number): Promise<Reconciled> =>
    (await lookOnce(req, refuted, looked)) ?? (await notPlaced(req, refuted, looked));
  return poll<Reconciled, undefined>({
    look: async () => {
      const looked = now();
      if (looked >= deadline) return done(await conclude(looked));
      const found = await lookOnce(req, refuted, looked);
      if (found) return done(found);
      waiting ??=
        `${req.label}: BSS shows no ${lookedFor(req, looked)} yet; looking again until ${new Date(deadline).toISOString()} ` +
        `(orderReconcileSeconds ${req.settleMs / 1000} after the request was sent) before concluding it was not placed`;
      return pending(waiting, undefined);
    },
    startedAt: req.sentAt.getTime(),
    timeoutMs: req.settleMs,
    pollMs: req.pollMs,
    tell: req.progress,
    // The last look ended past the settle time: one more, which concludes.
    timedOut: () => conclude(now()),
    now,
    sleep: req.sleep,
  });
}

/** One look for the order: found, several found, or none (undefined). */
async function lookOnce(
  req: ReconcileRequest,
  refuted: Set<string>,
  looked: number,
): Promise<Reconciled | undefined> {
  const found =
    req.orderId !== undefined ? await byId(req, req.orderId) : await byWindow(req, refuted, looked);
  if (found.length === 1) {
    const only = found[0] as Candidate & { compared: string };
    return { kind: "found", orderId: only.orderId, createdAt: only.createdAt, compared: only.compared };
  }
  if (found.length > 1) return { kind: "ambiguous", candidates: found };
  return undefined;
}

/**
 * Nothing found once the settle time has passed: not placed, unless the window, listed once more
 * without the service filter, holds an order with these line items (see otherServiceTypeCodes).
 */
async function notPlaced(req: ReconcileRequest, refuted: Set<string>, looked: number): Promise<Reconciled> {
  if (req.orderId === undefined) {
    const unfiltered = await byWindow(req, refuted, looked, false);
    if (unfiltered.length > 0) return { kind: "ambiguous", candidates: unfiltered };
  }
  return { kind: "not-placed", lookedFor: lookedFor(req, looked) };
}

/** What a look at `looked` searched for, for messages. */
function lookedFor(req: ReconcileRequest, looked: number): string {
  if (req.orderId !== undefined) return `order ${req.orderId}`;
  const { from, to } = searchWindow(req.sentAt, new Date(looked));
  return (
    `a new ${req.serviceTypeCode} order with these line items created between ` +
    `${bss.bssTime(from)} and ${bss.bssTime(to)}`
  );
}

async function byId(req: ReconcileRequest, orderId: string): Promise<(Candidate & { compared: string })[]> {
  try {
    const d = await bss.orderDetails(req.client, orderId);
    return [
      {
        orderId: d.orderId,
        createdAt: d.createdAt?.toISOString() ?? null,
        status: d.status,
        compared: "its id",
      },
    ];
  } catch (err) {
    if (bss.isOrderNotFound(err)) return []; // not known to BSS (yet)
    throw failed(req, err);
  }
}

async function byWindow(
  req: ReconcileRequest,
  refuted: Set<string>,
  looked: number,
  byService = true,
): Promise<(Candidate & { compared: string })[]> {
  const { from, to } = searchWindow(req.sentAt, new Date(looked));
  const others = new Set((req.otherServiceTypeCodes ?? []).map((c) => c.toLowerCase()));
  let listed: bss.CustomerOrder[];
  try {
    listed = await bss.listAllOrders(req.client, {
      createdFrom: from,
      createdTo: to,
      ...(byService ? { serviceTypeCode: req.serviceTypeCode } : {}),
      orderType: 1, // new purchases
    });
  } catch (err) {
    throw failed(req, err);
  }
  // Without the filter: what the filtered looks already saw, and other kinds' orders, are skipped.
  if (!byService) {
    listed = listed.filter(
      (o) =>
        o.serviceTypeCode?.toLowerCase() !== req.serviceTypeCode.toLowerCase() &&
        !others.has(o.serviceTypeCode?.toLowerCase() ?? ""),
    );
  }
  const matching: (Candidate & { compared: string })[] = [];
  for (const order of listed) {
    if (req.held.has(order.orderId) || refuted.has(order.orderId)) continue;
    try {
      const details = await bss.orderDetails(req.client, order.orderId);
      const lines = compareLines(req.lines ?? [], details.lineItems);
      if (!lines.matches) {
        refuted.add(order.orderId);
        continue;
      }
      let compared = lines.detail;
      if (details.status === COMPLETED) {
        const specs = compareSpecs(
          req.lines ?? [],
          await bss.allOrderResources(req.client, { orderId: order.orderId, onlyMainResources: true }),
        );
        if (!specs.matches) {
          refuted.add(order.orderId);
          continue;
        }
        if (specs.detail) compared += ` and ${specs.detail}`;
      }
      matching.push({
        orderId: order.orderId,
        createdAt: (details.createdAt ?? order.createdAt)?.toISOString() ?? null,
        status: details.status,
        compared,
      });
    } catch (err) {
      if (bss.isOrderNotFound(err)) continue;
      throw failed(req, err);
    }
  }
  return matching;
}

function failed(req: ReconcileRequest, err: unknown): ReconcileFailed {
  const why = err instanceof Error ? err.message : String(err);
  return new ReconcileFailed(`${req.label}: looking the order up through BSS failed: ${why}`);
}

/** "CS... (created 2026-..., status 6 (pending payment))", for the candidates list. */
export function describeCandidate(c: Candidate): string {
  return `${c.orderId} (created ${c.createdAt ?? "at an unknown time"}, status ${bss.describeOrderStatus(c.status)})`;
}
