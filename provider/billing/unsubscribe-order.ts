// Destroy with onDestroy "unsubscribe": unsubscribes the order's main resources through BSS (at
// most 10 ids per request, so more resources take several requests), then waits until BSS no
// longer lists them. An unsubscription is never sent twice for a resource: BSS is read before
// anything is sent, a resource whose unsubscription outcome is unknown is only waited for, and an
// unsubscription already in progress (an earlier destroy that failed or was interrupted after
// BSS accepted it) is waited for, never sent again. Whatever stops it throws: the resource stays
// in the stack, and the next destroy starts by reading BSS again.
import { bss, HuaweiCloudError, OutcomeUnknownError } from "../client";
import { done, pending, poll } from "./poller";

/** BSS's "The resources do not exist or has been deleted due to expiration." */
const RESOURCE_GONE = "CBC.30050009";
/** BSS's "Resources have been unsubscribed from." (also while the unsubscription is in progress) */
const ALREADY_UNSUBSCRIBED = "CBC.3124";
/** CustomerOrderV3.order_type of an unsubscription. */
const UNSUBSCRIPTION = 4;
/** BSS lists orders created at most a year apart. */
const LOOK_BACK_MS = 364 * 24 * 3600 * 1000;
/** BSS's clock may run ahead of ours. */
const CLOCK_SLACK_MS = 3600 * 1000;

export interface UnsubscribeRequest {
  client: bss.BssClient;
  orderId: string;
  /** "MetaStudioSubscription 'x'", for messages. */
  label: string;
  timeoutMs: number;
  pollMs: number;
  progress: (line: string) => Promise<void>;
  /**
   * The unsubscription orders this run sent, added to here: the destroys of one `pulumi destroy`
   * run in parallel and must not wait for one another's unsubscriptions.
   */
  sentByThisRun: Set<string>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What was unsubscribed, and by which BSS unsubscription orders. */
export interface UnsubscribeOutcome {
  resourceIds: string[];
  unsubscriptionOrders: string[];
}

/** Splits ids into requests of at most UNSUBSCRIBE_BATCH. */
export function batches<T>(items: readonly T[], size: number = bss.UNSUBSCRIBE_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What the unsubscription requests left to wait for, and what they came to. */
interface Sent {
  /** Resources BSS is to stop listing: accepted, already on their way, or of unknown outcome. */
  waitFor: Set<string>;
  /** "id: code message" of each resource BSS refused to unsubscribe. */
  refused: string[];
  /** Resources whose unsubscription outcome is unknown. */
  unknown: string[];
  /** The unsubscription orders BSS created. */
  orders: string[];
}

export async function unsubscribeOrder(req: UnsubscribeRequest): Promise<UnsubscribeOutcome> {
  const now = req.now ?? Date.now;
  const started = now();
  const order = `order ${req.orderId}`;
  const tell = (line: string) => req.progress(`${req.label}: ${line}`);

  // Read first: what is still there, and whether an unsubscription is already on its way.
  const listed = await listedNow(req);
  if (listed.length === 0) {
    await nothingListed(req, order, tell);
    return { resourceIds: [], unsubscriptionOrders: [] };
  }
  const ids = listed.map((r) => r.resourceId);
  const inProgress = await unsubscriptionsInProgress(req, listed[0]?.serviceTypeCode, now());
  let sent: Sent;
  if (inProgress.length > 0) {
    await tell(
      `an unsubscription is already in progress (BSS order${inProgress.length === 1 ? "" : "s"} ${inProgress.join(", ")}), ` +
        `from an earlier destroy or outside Pulumi: waiting for ${ids.length} resource${ids.length === 1 ? "" : "s"} of ${order} ` +
        `to be gone, sending no unsubscription`,
    );
    sent = { waitFor: new Set(ids), refused: [], unknown: [], orders: [] };
  } else {
    sent = await sendUnsubscriptions(req, ids, order, tell);
  }

  await waitUntilGone(req, sent, { started, now, order, tell });

  const { refused } = sent;
  const gone = ids.filter((id) => !refused.some((line) => line.startsWith(`${id}:`)));
  if (refused.length > 0) {
    throw new Error(
      `BSS refused to unsubscribe ${refused.length} resource${refused.length === 1 ? "" : "s"} of ${order}: ` +
        `${refused.join("; ")}${gone.length > 0 ? ` (the others are gone: ${gone.join(", ")})` : ""}. ` +
        `A one-off purchase cannot be unsubscribed: set onDestroy "keep" to remove the resource from the stack ` +
        `without unsubscribing. The resource stays in the stack`,
    );
  }
  await tell(
    `${gone.length} resource${gone.length === 1 ? "" : "s"} of ${order} unsubscribed and gone; the resource leaves the stack`,
  );
  return { resourceIds: gone, unsubscriptionOrders: sent.orders };
}

/** The order's main resources BSS still lists (closed ones are already gone). */
async function listedNow(req: UnsubscribeRequest): Promise<bss.OrderResource[]> {
  const listed = await bss.allOrderResources(req.client, { orderId: req.orderId, onlyMainResources: true });
  return listed.filter((r) => r.status !== 3);
}

/** Sends the unsubscriptions, at most UNSUBSCRIBE_BATCH ids a request, each id once. */
async function sendUnsubscriptions(
  req: UnsubscribeRequest,
  ids: string[],
  order: string,
  tell: (line: string) => Promise<void>,
): Promise<Sent> {
  const sent: Sent = { waitFor: new Set(), refused: [], unknown: [], orders: [] };
  const parts = batches(ids);
  for (const [i, part] of parts.entries()) {
    const named = part.join(", ");
    await tell(
      `unsubscribing ${part.length} resource${part.length === 1 ? "" : "s"} of ${order}` +
        `${parts.length > 1 ? ` (request ${i + 1} of ${parts.length})` : ""}: ${named}`,
    );
    let result: bss.UnsubscribeResult;
    try {
      result = await bss.unsubscribeResources(req.client, part);
    } catch (err) {
      if (err instanceof OutcomeUnknownError) {
        // Maybe accepted: never sent again; BSS tells whether they go.
        part.forEach((id) => sent.waitFor.add(id));
        sent.unknown.push(...part);
        await tell(
          `the outcome of unsubscribing ${named} is unknown (${message(err)}); not sending it again, waiting to see them go`,
        );
        continue;
      }
      throw new Error(
        `unsubscribing ${named} of ${order} through BSS failed: ${message(err)}` +
          `${sent.waitFor.size > 0 ? `. Accepted before: ${[...sent.waitFor].join(", ")} (the next destroy waits for them and sends them no second unsubscription)` : ""}. ` +
          `The resource stays in the stack`,
      );
    }
    result.orderIds.forEach((id) => req.sentByThisRun.add(id));
    sent.orders.push(...result.orderIds);
    const failed = new Map(result.failures.map((f) => [f.resourceId, f]));
    for (const id of part) {
      const f = failed.get(id);
      if (f === undefined || f.errorCode === ALREADY_UNSUBSCRIBED) sent.waitFor.add(id);
      else if (f.errorCode !== RESOURCE_GONE) {
        sent.refused.push(`${id}: ${f.errorCode ?? "(no error_code)"} ${f.errorMsg ?? ""}`.trim());
      }
    }
    if (result.orderIds.length > 0) {
      await tell(
        `BSS accepted the unsubscription (order${result.orderIds.length === 1 ? "" : "s"} ${result.orderIds.join(", ")}, ` +
          `X-Request-Id ${result.requestId ?? "(none)"})`,
      );
    }
  }
  return sent;
}

/** Waits until BSS no longer lists what was (or may have been) unsubscribed; throws at the timeout. */
async function waitUntilGone(
  req: UnsubscribeRequest,
  sent: Sent,
  at: { started: number; now: () => number; order: string; tell: (line: string) => Promise<void> },
): Promise<void> {
  const { order } = at;
  await poll<undefined, string[]>({
    look: async (turn) => {
      if (turn.attempt > 0) {
        const still = new Set((await listedNow(req)).map((r) => r.resourceId));
        for (const id of [...sent.waitFor]) if (!still.has(id)) sent.waitFor.delete(id);
      }
      const left = [...sent.waitFor];
      if (left.length === 0) return done(undefined);
      return pending(
        `waiting for ${left.length} resource${left.length === 1 ? "" : "s"} of ${order} to be gone`,
        left,
      );
    },
    startedAt: at.started,
    timeoutMs: req.timeoutMs,
    pollMs: req.pollMs,
    tell: at.tell,
    timedOut: (left, elapsedMs) => {
      throw new Error(
        `${left.length} resource${left.length === 1 ? " is" : "s are"} of ${order} still listed by BSS after ` +
          `${Math.round(elapsedMs / 1000)} s (waitTimeoutSeconds ${req.timeoutMs / 1000}): ${left.join(", ")}. ` +
          `${sent.unknown.length > 0 ? `The outcome of unsubscribing ${sent.unknown.join(", ")} is unknown: check Billing Center > Orders > Unsubscriptions. ` : ""}` +
          `The resource stays in the stack; the next \`pulumi destroy\` reads BSS first and waits for an unsubscription ` +
          `in progress, never sending a second one. To wait longer, raise waitTimeoutSeconds (\`pulumi up\` records it)`,
      );
    },
    now: at.now,
    sleep: req.sleep,
  });
}

/** No resource listed: nothing to unsubscribe, unless the order is not provisioned yet. */
async function nothingListed(
  req: UnsubscribeRequest,
  order: string,
  tell: (line: string) => Promise<void>,
): Promise<void> {
  const details = await bss.orderDetails(req.client, req.orderId);
  const status = bss.describeOrderStatus(details.status);
  if (details.status === bss.ORDER_STATUS.completed || details.status === bss.ORDER_STATUS.cancelled) {
    await tell(
      `${order} is ${status} and BSS lists no resource of it (already unsubscribed, deleted, or nothing bought): ` +
        `nothing to unsubscribe; the resource leaves the stack`,
    );
    return;
  }
  throw new Error(
    `${order} is ${status}: it has no resource to unsubscribe yet. Wait until it completes (\`pulumi refresh\` ` +
      `shows it) and destroy again, or set onDestroy "keep" to remove it from the stack without unsubscribing ` +
      `(an unpaid order can be cancelled in the Billing Center). The resource stays in the stack`,
  );
}

/** Unsubscription orders of the service still processing, not sent by this run. */
async function unsubscriptionsInProgress(
  req: UnsubscribeRequest,
  serviceTypeCode: string | undefined,
  now: number,
): Promise<string[]> {
  const orders = await bss.listAllOrders(req.client, {
    orderType: UNSUBSCRIPTION,
    status: bss.ORDER_STATUS.processing,
    ...(serviceTypeCode ? { serviceTypeCode } : {}),
    createdFrom: new Date(now - LOOK_BACK_MS),
    createdTo: new Date(now + CLOCK_SLACK_MS),
  });
  return orders.map((o) => o.orderId).filter((id) => !req.sentByThisRun.has(id));
}

function message(err: unknown): string {
  if (err instanceof HuaweiCloudError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
