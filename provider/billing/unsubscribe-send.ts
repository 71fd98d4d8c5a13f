// Sending the unsubscription requests of one order, as Huawei's page "Unsubscribing from
// Yearly/Monthly Resources" answers them: BSS refuses a request as a whole (HTTP 400, one code for
// all its ids), so a refusal is settled by reading the resources again: those no longer in use
// (closed, expired, gone) are left out and the rest sent again; a transaction in progress
// (CBC.99003651) is looked at again after the poll interval, until the timeout; a refusal the read
// cannot explain is narrowed down by sending each resource alone, and then fails naming the
// resource, the code and what to do. A 400 acted on nothing, so sending its ids again sends
// nothing twice; a request whose outcome is unknown is never sent again, only waited for.
import { bss, HuaweiCloudError, OutcomeUnknownError } from "../client";
import { adviceFor, GONE_CODES, LEGACY_CODE, UNSUBSCRIBE_CODE } from "./unsubscribe-codes";
import { realSleep } from "./poller";

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

/** OrderInstanceV2.status (Huawei's Go SDK, bss/v2): 2 in use, 3 closed, 4 frozen, 5 expired. */
export const RESOURCE = { inUse: 2, closed: 3, frozen: 4, expired: 5 } as const;

/** What the unsubscription requests left to wait for, and what they came to. */
export interface Sent {
  /** Resources BSS is to stop listing: accepted, already on their way, or of unknown outcome. */
  waitFor: Set<string>;
  /** Each resource BSS refused (or that cannot be unsubscribed), with the line that says why. */
  refused: Map<string, string>;
  /** Resources whose unsubscription outcome is unknown. */
  unknown: string[];
  /** Resources left alone because they are no longer in use (closed, expired, gone). */
  forgotten: string[];
  /** The unsubscription orders BSS created. */
  orders: string[];
}

export const nothingSent = (): Sent => ({
  waitFor: new Set(),
  refused: new Map(),
  unknown: [],
  forgotten: [],
  orders: [],
});

export interface SendContext {
  order: string;
  tell: (line: string) => Promise<void>;
  /** When the destroy started, on `now`'s clock: the timeout counts from there. */
  started: number;
  now: () => number;
}

/** Splits ids into requests of at most UNSUBSCRIBE_BATCH. */
export function batches<T>(items: readonly T[], size: number = bss.UNSUBSCRIBE_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The order's main resources BSS lists now, closed ones included, by id. */
export async function readStatuses(req: UnsubscribeRequest): Promise<bss.OrderResource[]> {
  return bss.allOrderResources(req.client, { orderId: req.orderId, onlyMainResources: true });
}

/** Why a resource read with `status` is not sent, or undefined when it is to be sent. */
export function leftAlone(status: number | undefined): "gone" | "expired" | "frozen" | undefined {
  if (status === undefined || status === RESOURCE.closed) return "gone";
  if (status === RESOURCE.expired) return "expired";
  if (status === RESOURCE.frozen) return "frozen";
  return undefined;
}

/** Records a resource read with `status` as not in use: forgotten (gone, closed, expired) or refused (frozen). */
export async function notInUse(
  sent: Sent,
  id: string,
  status: number | undefined,
  ctx: SendContext,
): Promise<void> {
  const why = leftAlone(status);
  if (why === "frozen") {
    sent.refused.set(
      id,
      `${id}: 4 (frozen): BSS refuses to unsubscribe a frozen resource (${UNSUBSCRIBE_CODE.frozen}); ${adviceFor(UNSUBSCRIBE_CODE.frozen)}`,
    );
    return;
  }
  sent.forgotten.push(id);
  const is =
    why === "expired"
      ? "is 5 (expired): BSS cannot unsubscribe an expired resource"
      : status === undefined
        ? "is no longer listed (unsubscribed or deleted outside Pulumi)"
        : "is 3 (closed): already unsubscribed";
  await ctx.tell(`resource ${id} of ${ctx.order} ${is}; nothing is sent for it, and it is forgotten`);
}

/** Sends the unsubscriptions of `ids` (all read as in use), at most UNSUBSCRIBE_BATCH a request. */
export async function sendUnsubscriptions(
  req: UnsubscribeRequest,
  ids: string[],
  ctx: SendContext,
): Promise<Sent> {
  const sent = nothingSent();
  const parts = batches(ids);
  for (const [i, part] of parts.entries()) {
    await ctx.tell(
      `unsubscribing ${plural(part.length, "resource")} of ${ctx.order}` +
        `${parts.length > 1 ? ` (request ${i + 1} of ${parts.length})` : ""}: ${part.join(", ")}`,
    );
    const queue = [part];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const again = await sendOne(req, next, sent, ctx);
      queue.unshift(...again);
    }
  }
  return sent;
}

/** Sends one request and records what it came to; returns the requests to send in its place. */
async function sendOne(
  req: UnsubscribeRequest,
  part: string[],
  sent: Sent,
  ctx: SendContext,
): Promise<string[][]> {
  const named = part.join(", ");
  let result: bss.UnsubscribeResult;
  try {
    result = await bss.unsubscribeResources(req.client, part);
  } catch (err) {
    if (err instanceof OutcomeUnknownError) {
      // Maybe accepted: never sent again; BSS tells whether they go.
      part.forEach((id) => sent.waitFor.add(id));
      sent.unknown.push(...part);
      await ctx.tell(
        `the outcome of unsubscribing ${named} is unknown (${err.message}); not sending it again, waiting to see them go`,
      );
      return [];
    }
    if (err instanceof HuaweiCloudError && err.metadata.httpStatus === 400) {
      return settleRefusal(req, part, err, sent, ctx);
    }
    const accepted = [...sent.waitFor].filter((id) => !sent.unknown.includes(id));
    throw new Error(
      `unsubscribing ${named} of ${ctx.order} through BSS failed: ${err instanceof Error ? err.message : String(err)}` +
        `${accepted.length > 0 ? `. Accepted before: ${accepted.join(", ")} (the next destroy waits for them and sends them no second unsubscription)` : ""}. ` +
        `The resource stays in the stack`,
    );
  }
  await recordAccepted(req, part, result, sent, ctx);
  return [];
}

/** A 200 answer: its orders, and (older tables) the resources it names in fail_resource_infos. */
async function recordAccepted(
  req: UnsubscribeRequest,
  part: string[],
  result: bss.UnsubscribeResult,
  sent: Sent,
  ctx: SendContext,
): Promise<void> {
  result.orderIds.forEach((id) => req.sentByThisRun.add(id));
  sent.orders.push(...result.orderIds);
  const failed = new Map(result.failures.map((f) => [f.resourceId, f]));
  for (const id of part) {
    const f = failed.get(id);
    if (f === undefined || f.errorCode === LEGACY_CODE.alreadyUnsubscribed) {
      sent.waitFor.add(id);
    } else if (f.errorCode !== undefined && GONE_CODES.has(f.errorCode)) {
      sent.forgotten.push(id);
      await ctx.tell(
        `resource ${id} of ${ctx.order}: BSS answered ${f.errorCode} (gone): nothing to unsubscribe`,
      );
    } else {
      sent.refused.set(id, refusalLine(id, f.errorCode, f.errorMsg, 200, result.requestId));
    }
  }
  if (result.orderIds.length > 0) {
    await ctx.tell(
      `BSS accepted the unsubscription (order${result.orderIds.length === 1 ? "" : "s"} ${result.orderIds.join(", ")}, ` +
        `X-Request-Id ${result.requestId ?? "(none)"})`,
    );
  }
}

/**
 * BSS refused the whole request (400): nothing was unsubscribed. Reads the resources again and
 * returns what to send in its place: the ones still in use, each alone, or the same after a wait.
 */
async function settleRefusal(
  req: UnsubscribeRequest,
  part: string[],
  err: HuaweiCloudError,
  sent: Sent,
  ctx: SendContext,
): Promise<string[][]> {
  const { errorCode: code, errorMsg: msg, requestId } = err.metadata;
  const still = await stillInUse(req, part, sent, ctx);
  const refusal = `${code ?? "(no error_code)"}${msg ? ` "${msg}"` : ""}, X-Request-Id ${requestId ?? "(none)"}`;
  if (still.length === 0) return [];
  if (still.length < part.length) {
    await ctx.tell(
      `BSS refused the request as a whole (HTTP 400 ${refusal}); sending again the ${plural(still.length, "resource")} still in use: ${still.join(", ")}`,
    );
    return [still];
  }
  if (code === UNSUBSCRIBE_CODE.transactionInProgress) return waitForTransaction(req, still, err, sent, ctx);
  if (still.length > 1) {
    await ctx.tell(
      `BSS refused the request as a whole (HTTP 400 ${refusal}) and still lists all of them in use: sending each alone to learn which it refuses`,
    );
    return still.map((id) => [id]);
  }
  const id = still[0] as string;
  sent.refused.set(id, refusalLine(id, code, msg, 400, requestId));
  return [];
}

/**
 * CBC.99003651, a transaction on the resources in progress: looks again after the poll interval
 * and sends those still in use again, until the timeout; then each fails with the code.
 */
async function waitForTransaction(
  req: UnsubscribeRequest,
  ids: string[],
  err: HuaweiCloudError,
  sent: Sent,
  ctx: SendContext,
): Promise<string[][]> {
  const { errorCode: code, errorMsg: msg, requestId } = err.metadata;
  const left = ctx.started + req.timeoutMs - ctx.now();
  if (left <= 0) {
    const waited = ` (still after ${Math.round((ctx.now() - ctx.started) / 1000)} s, waitTimeoutSeconds ${req.timeoutMs / 1000})`;
    for (const id of ids) sent.refused.set(id, refusalLine(id, code, msg, 400, requestId) + waited);
    return [];
  }
  const wait = Math.min(req.pollMs, left);
  await ctx.tell(
    `BSS says a transaction on ${ids.join(", ")} is in progress (HTTP 400 ${code}, X-Request-Id ${requestId ?? "(none)"}): ` +
      `looking again in ${Math.ceil(wait / 1000)} s`,
  );
  await (req.sleep ?? realSleep)(wait);
  const still = await stillInUse(req, ids, sent, ctx);
  return still.length > 0 ? [still] : [];
}

/** Reads the resources again: returns those of `ids` still in use, and records the others. */
async function stillInUse(
  req: UnsubscribeRequest,
  ids: string[],
  sent: Sent,
  ctx: SendContext,
): Promise<string[]> {
  const listed = new Map((await readStatuses(req)).map((r) => [r.resourceId, r.status]));
  const still: string[] = [];
  for (const id of ids) {
    const status = listed.get(id);
    if (leftAlone(status) === undefined) still.push(id);
    else await notInUse(sent, id, status, ctx);
  }
  return still;
}

/** "id: code "msg" (HTTP status, X-Request-Id x): what to do". */
function refusalLine(
  id: string,
  code: string | undefined,
  msg: string | undefined,
  status: number,
  requestId: string | undefined,
): string {
  return (
    `${id}: ${code ?? "(no error_code)"}${msg ? ` "${msg}"` : ""} (HTTP ${status}, X-Request-Id ${requestId ?? "(none)"}): ` +
    adviceFor(code)
  );
}
