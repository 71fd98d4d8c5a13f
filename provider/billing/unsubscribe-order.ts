// Destroy with onDestroy "unsubscribe": unsubscribes the order's main resources through BSS (at
// most 10 ids per request, so more resources take several requests), then waits until BSS no
// longer lists them. Only resources in use are sent: closed (3) and expired (5) ones are left
// alone with a line saying so and forgotten, frozen (4) ones fail naming what to do (Huawei's
// page refuses them, and refuses a whole request for one of them; unsubscribe-send.ts settles
// such refusals). An unsubscription is never sent twice for a resource: BSS is read before
// anything is sent, a resource whose unsubscription outcome is unknown is only waited for, and an
// unsubscription already in progress (an earlier destroy that failed or was interrupted after
// BSS accepted it) is waited for, never sent again. Whatever stops it throws: the resource stays
// in the stack, and the next destroy starts by reading BSS again.
import { bss } from "../client";
import { done, pending, poll } from "./poller";
import {
  leftAlone,
  notInUse,
  nothingSent,
  plural,
  readStatuses,
  sendUnsubscriptions,
  type SendContext,
  type Sent,
  type UnsubscribeRequest,
} from "./unsubscribe-send";

export { batches, type UnsubscribeRequest } from "./unsubscribe-send";

/** CustomerOrderV3.order_type of an unsubscription. */
const UNSUBSCRIPTION = 4;
/** BSS lists orders created at most a year apart. */
const LOOK_BACK_MS = 364 * 24 * 3600 * 1000;
/** BSS's clock may run ahead of ours. */
const CLOCK_SLACK_MS = 3600 * 1000;

/** What was unsubscribed, and by which BSS unsubscription orders. */
export interface UnsubscribeOutcome {
  resourceIds: string[];
  unsubscriptionOrders: string[];
  /** Resources left alone because they were no longer in use (closed, expired, gone). */
  forgotten: string[];
}

export async function unsubscribeOrder(req: UnsubscribeRequest): Promise<UnsubscribeOutcome> {
  const now = req.now ?? Date.now;
  const order = `order ${req.orderId}`;
  const ctx: SendContext = {
    order,
    tell: (line) => req.progress(`${req.label}: ${line}`),
    started: now(),
    now,
  };

  // Read first: what is still there, what can be unsubscribed, and whether an unsubscription is
  // already on its way. Only resources in use are sent: BSS refuses closed, expired and frozen ones.
  const listed = await readStatuses(req);
  if (listed.length === 0) {
    await nothingListed(req, order, ctx.tell);
    return { resourceIds: [], unsubscriptionOrders: [], forgotten: [] };
  }
  const skipped = nothingSent();
  const inUse: string[] = [];
  for (const r of listed) {
    if (leftAlone(r.status) === undefined) inUse.push(r.resourceId);
    else await notInUse(skipped, r.resourceId, r.status, ctx);
  }
  const inProgress =
    inUse.length === 0 ? [] : await unsubscriptionsInProgress(req, listed[0]?.serviceTypeCode, now());
  let sent: Sent;
  if (inProgress.length > 0) {
    await ctx.tell(
      `an unsubscription is already in progress (BSS order${inProgress.length === 1 ? "" : "s"} ${inProgress.join(", ")}), ` +
        `from an earlier destroy or outside Pulumi: waiting for ${plural(inUse.length, "resource")} of ${order} ` +
        `to be gone, sending no unsubscription`,
    );
    sent = { ...nothingSent(), waitFor: new Set(inUse) };
  } else {
    sent = await sendUnsubscriptions(req, inUse, ctx);
  }
  sent.forgotten.unshift(...skipped.forgotten);
  skipped.refused.forEach((line, id) => sent.refused.set(id, line));

  await waitUntilGone(req, sent, ctx);

  const { refused } = sent;
  const gone = inUse.filter((id) => !refused.has(id) && !sent.forgotten.includes(id));
  const forgotten =
    sent.forgotten.length > 0 ? ` (left alone, no longer in use: ${sent.forgotten.join(", ")})` : "";
  if (refused.size > 0) {
    throw new Error(
      `BSS refused to unsubscribe ${plural(refused.size, "resource")} of ${order}: ${[...refused.values()].join("; ")}` +
        `${gone.length > 0 ? ` (unsubscribed and gone: ${gone.join(", ")})` : ""}${forgotten}. The resource stays in the stack`,
    );
  }
  await ctx.tell(
    gone.length > 0
      ? `${plural(gone.length, "resource")} of ${order} unsubscribed and gone${forgotten}; the resource leaves the stack`
      : `nothing of ${order} was left to unsubscribe${forgotten}; the resource leaves the stack`,
  );
  return { resourceIds: gone, unsubscriptionOrders: sent.orders, forgotten: sent.forgotten };
}

/** Waits until BSS no longer lists in use what was (or may have been) unsubscribed; throws at the timeout. */
async function waitUntilGone(req: UnsubscribeRequest, sent: Sent, ctx: SendContext): Promise<void> {
  const { order } = ctx;
  await poll<undefined, string[]>({
    look: async (turn) => {
      if (turn.attempt > 0) {
        const still = new Set(
          (await readStatuses(req))
            .filter((r) => leftAlone(r.status) === undefined || leftAlone(r.status) === "frozen")
            .map((r) => r.resourceId),
        );
        for (const id of [...sent.waitFor]) if (!still.has(id)) sent.waitFor.delete(id);
      }
      const left = [...sent.waitFor];
      if (left.length === 0) return done(undefined);
      return pending(`waiting for ${plural(left.length, "resource")} of ${order} to be gone`, left);
    },
    startedAt: ctx.started,
    timeoutMs: req.timeoutMs,
    pollMs: req.pollMs,
    tell: ctx.tell,
    timedOut: (left, elapsedMs) => {
      throw new Error(
        `${left.length} resource${left.length === 1 ? " is" : "s are"} of ${order} still listed by BSS after ` +
          `${Math.round(elapsedMs / 1000)} s (waitTimeoutSeconds ${req.timeoutMs / 1000}): ${left.join(", ")}. ` +
          `${sent.unknown.length > 0 ? `The outcome of unsubscribing ${sent.unknown.join(", ")} is unknown: check Billing Center > Orders > Unsubscriptions. ` : ""}` +
          `The resource stays in the stack; the next \`pulumi destroy\` reads BSS first and waits for an unsubscription ` +
          `in progress, never sending a second one. To wait longer, raise waitTimeoutSeconds (\`pulumi up\` records it)`,
      );
    },
    now: ctx.now,
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
