// Follows an accepted order through BSS, as far as the resource's `waitUntil` asks: reads the
// order until it is paid (payment_time set, or 3 processing / 5 completed) or provisioned (5
// completed and its resources listed), pays it through BSS when the program asked for auto-pay,
// and tells the operator each status it sees. It never places an order; whatever stops it
// returns what it learnt, so the resource is recorded with the order (provider/steps/follow.ts).
import { bss, HuaweiCloudError, OutcomeUnknownError } from "../client";
import { again, done, pending, poll, type Step, type Turn } from "./poller";
import type { FollowOutputs, PurchasedResource } from "../contract/recorded-outputs";
import { isBefore, type Stage } from "../contract/resource-inputs";

/** Stops following; carries what was learnt so far, for the state. */
export class FollowStopped extends Error {
  constructor(
    message: string,
    readonly outputs: FollowOutputs,
  ) {
    super(message);
  }
}

export interface FollowRequest {
  client: bss.BssClient;
  orderId: string;
  /** "DisPackageOrder 'dis'", for messages. */
  label: string;
  wanted: Stage;
  /** Pay through BSS when the order waits for payment (DisPackageOrder `autoPay`). */
  payThroughBss: boolean;
  /** The order's own fields ask Huawei to pay it (MetaStudio `isAutoPay`). */
  paysItself: boolean;
  /** What to do for an order that waits for payment, when nothing here pays it. */
  payHint: string;
  /**
   * The agreement an order that pays itself is paid under (MetaStudio's AUTO_PAY), and whether this
   * run signed it: when not, such an order still pending payment at the AGREEMENT_GRACE_READS-th
   * read stops the follow early (a failed auto-payment leaves the order to be paid by hand).
   */
  agreement?: { title: string; signed: boolean; optIn: string } | undefined;
  timeoutMs: number;
  pollMs: number;
  /** Where a create or an earlier follow left off. */
  recorded: FollowOutputs;
  progress: (line: string) => Promise<void>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const { processing, cancelled, completed, pendingPayment } = bss.ORDER_STATUS;

/**
 * How many reads may show an auto-pay order pending payment, when no agreement was signed in this
 * run, before following stops. The Go SDK's PublicCloudServiceOrder.is_auto_pay: an auto-payment
 * that fails leaves the order "pending payment", waiting for the customer to pay it by hand; no
 * page says whether BSS may show a new order pending for a moment before its auto-payment, so a
 * few reads (20 s with the default 10 s between reads) are allowed.
 */
export const AGREEMENT_GRACE_READS = 3;

/** A follow under way: the request, what was learnt so far, and how it stops. */
interface Following {
  req: FollowRequest;
  state: FollowOutputs;
  now: () => number;
  /** "order CS...", for messages. */
  order: string;
  stop: (why: string) => never;
  /** Reads that showed an order paying itself, under an agreement not signed in this run, pending payment. */
  unpaidReads: number;
}

/** What the last read said, for the message at the timeout. */
type LastRead = { status: number } | { unread: unknown };

/** Follows the order until it reaches `wanted`; throws FollowStopped otherwise. */
export async function followOrder(req: FollowRequest): Promise<FollowOutputs> {
  const now = req.now ?? Date.now;
  const state: FollowOutputs = { ...req.recorded, purchasedResources: [...req.recorded.purchasedResources] };
  const f: Following = {
    req,
    state,
    now,
    order: `order ${req.orderId}`,
    unpaidReads: 0,
    stop: (why) => {
      throw new FollowStopped(`${req.label}: ${why}`, { ...state });
    },
  };
  return poll<FollowOutputs, LastRead>({
    look: (turn) => followTurn(f, turn),
    timeoutMs: req.timeoutMs,
    pollMs: req.pollMs,
    tell: (line) => req.progress(`${req.label}: ${line}`),
    timedOut: (last, elapsedMs) => f.stop(timedOutReason(f, last, elapsedMs)),
    now,
    sleep: req.sleep,
  });
}

/** One read of the order, and what follows from it (a payment, the resources). */
async function followTurn(f: Following, turn: Turn): Promise<Step<FollowOutputs, LastRead>> {
  const { req, state, order } = f;
  let details: bss.OrderDetails;
  try {
    details = await bss.orderDetails(req.client, req.orderId);
  } catch (err) {
    // BSS's "Invalid order. The order may not exist." (either reading, bss.isOrderNotFound): a new
    // order may reach BSS a moment after the service accepted it, so until the timeout it means
    // "not known to BSS yet".
    if (!bss.isOrderNotFound(err) || turn.left() <= 0) return f.stop(unreadReason(f, err));
    const code = err.metadata.errorCode ?? "no order_info";
    return pending(`${order} is not known to BSS yet (${code}); waiting for it`, { unread: err });
  }
  record(state, details);
  const status = details.status;
  const described = bss.describeOrderStatus(status);

  if (status === cancelled) {
    return f.stop(
      `${order} was cancelled (status ${described}): nothing was bought. To buy again, change the ` +
        `order (a DisPackageOrder needs a new orderId) or remove this resource from the stack ` +
        `(\`pulumi state delete\`); running \`pulumi up\` again changes nothing`,
    );
  }
  if (status === pendingPayment && req.payThroughBss && state.paymentSentAt === null) {
    await payOnce(f, turn, described);
    return again(); // read the order again at once: the payment moved it on
  }
  if (status === pendingPayment && awaitsAgreement(req, state)) {
    f.unpaidReads += 1;
    if (f.unpaidReads >= AGREEMENT_GRACE_READS) return f.stop(unsignedReason(f, described));
  }

  const paid = state.paidAt !== null || status === processing || status === completed;
  if (paid && isBefore(state.orderStage, "paid")) state.orderStage = "paid";
  if (req.wanted === "paid" && paid) {
    await turn.tell(`${order} is ${described}, paid${state.paidAt ? ` at ${state.paidAt}` : ""}`);
    return done(state);
  }
  if (req.wanted === "provisioned" && status === completed) {
    if (await provisioned(f, turn, described)) return done(state);
    return pending(`${order} is ${described}; its resources are not listed yet`, { status });
  }
  return pending(`${order} is ${described}${waitingNote(req, status, state)}`, { status });
}

/** Pays the order through BSS (autoPay), recording when; never twice, even when its outcome is unknown. */
async function payOnce(f: Following, turn: Turn, described: string): Promise<void> {
  await turn.tell(`${f.order} is ${described}: paying it through BSS (autoPay)`);
  f.state.paymentSentAt = new Date(f.now()).toISOString();
  try {
    const paid = await bss.payOrder(f.req.client, f.req.orderId);
    await turn.tell(`${f.order} paid through BSS (X-Request-Id ${paid.requestId ?? "(none)"})`);
  } catch (err) {
    // A refused payment moved no money: a later run may pay again. An unknown one stays sent.
    if (!(err instanceof OutcomeUnknownError)) f.state.paymentSentAt = null;
    f.stop(`paying ${f.order} through BSS failed: ${message(err)}.${payAdvice(err)} ${resume(f.req)}`);
  }
}

/** What to do about a refusal the PayOrders page names; any other is told by its code and message. */
function payAdvice(err: unknown): string {
  const code = err instanceof HuaweiCloudError ? err.metadata.errorCode : undefined;
  if (code === bss.INSUFFICIENT_BALANCE) {
    return " The account's balance is too low: top it up (Billing Center > Funds), then run `pulumi up` again.";
  }
  if (code === bss.FROZEN) {
    return " The account or the resource is frozen: see why in the Billing Center, then run `pulumi up` again.";
  }
  return "";
}

/** Whether the completed order's resources are listed; if so, records them and tells them. */
async function provisioned(f: Following, turn: Turn, described: string): Promise<boolean> {
  let resources: bss.OrderResource[];
  try {
    resources = await bss.allOrderResources(f.req.client, { orderId: f.req.orderId });
  } catch (err) {
    return f.stop(
      `reading the resources of ${f.order} through BSS failed: ${message(err)}. ${resume(f.req)}`,
    );
  }
  if (resources.length === 0) return false;
  recordResources(f.state, resources.map(purchased));
  f.state.orderStage = "provisioned";
  await turn.tell(
    `${f.order} is ${described}: ${resources.length} resource${resources.length === 1 ? "" : "s"} ` +
      `(${resources.map((r) => r.resourceId).join(", ")}), earliest expiry ${f.state.earliestExpiry ?? "none"}`,
  );
  return true;
}

/** An order that pays itself, under an agreement this run did not sign, and that nothing here paid. */
function awaitsAgreement(req: FollowRequest, state: FollowOutputs): boolean {
  return req.paysItself && req.agreement?.signed === false && state.paymentSentAt === null;
}

function unsignedReason(f: Following, described: string): string {
  const agreement = f.req.agreement;
  const title = agreement?.title ?? "the auto-pay agreement";
  return (
    `${f.order} is still ${described} at ${f.unpaidReads} reads although it asks to be paid automatically ` +
    `(isAutoPay): Huawei pays such an order only when the account has signed ${title} (and its balance ` +
    `covers it), and a failed auto-payment leaves the order to be paid by hand. This run signed no ` +
    `agreement. Pay this order in the Huawei Cloud console (Billing Center > Orders > My Orders > Pay); ` +
    `for later orders, sign the agreement in the console or set ${agreement?.optIn ?? "the opt-in"} on the ` +
    `resource (it is then signed before each new order, as Huawei's Terraform does). ${resume(f.req)}`
  );
}

function unreadReason(f: Following, err: unknown): string {
  return `reading ${f.order} through BSS failed: ${message(err)}. ${resume(f.req)}`;
}

/** Why following stopped at the timeout, from the last read. */
function timedOutReason(f: Following, last: LastRead, elapsedMs: number): string {
  if ("unread" in last) return unreadReason(f, last.unread);
  const { req } = f;
  return (
    `${f.order} is still ${bss.describeOrderStatus(last.status)} after ${Math.round(elapsedMs / 1000)} s ` +
    `(waitUntil "${req.wanted}", waitTimeoutSeconds ${req.timeoutMs / 1000})` +
    `${last.status === pendingPayment && !req.payThroughBss ? `: it waits for payment. ${req.payHint}` : ""}. ` +
    `${resume(req)} To wait longer, raise waitTimeoutSeconds; to stop following it, set waitUntil ` +
    `"submitted"`
  );
}

function waitingNote(req: FollowRequest, status: number, state: FollowOutputs): string {
  if (status === pendingPayment) {
    if (state.paymentSentAt !== null) {
      return `, though this stack paid it at ${state.paymentSentAt} (it is never paid twice): check the order in the Billing Center`;
    }
    if (awaitsAgreement(req, state)) {
      const title = req.agreement?.title ?? "the auto-pay agreement";
      return `: auto-pay has not gone through yet (the account may not have signed ${title}, or its balance may be short)`;
    }
    if (req.paysItself) return ": auto-pay has not gone through yet (the account's balance may be short)";
    return `: waiting for payment. ${req.payHint}`;
  }
  if (!(status in bss.ORDER_STATUSES)) return "; treated as still pending";
  return "";
}

function resume(req: FollowRequest): string {
  return (
    `Order ${req.orderId} is recorded in the stack: the next \`pulumi up\` resumes following it and ` +
    `places no new order.`
  );
}

function message(err: unknown): string {
  if (err instanceof HuaweiCloudError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/** Records what order details say (status, payment time, amounts). */
export function record(state: FollowOutputs, d: bss.OrderDetails): void {
  state.orderStatus = d.status;
  if (d.paidAt) state.paidAt = d.paidAt.toISOString();
  if (d.officialAmount !== undefined) state.officialAmount = d.officialAmount;
  if (d.amountAfterDiscount !== undefined) state.amountAfterDiscount = d.amountAfterDiscount;
  if (d.currency !== undefined) state.currency = d.currency;
}

/** A BSS resource as the state records it. */
export function purchased(r: bss.OrderResource): PurchasedResource {
  return {
    resourceId: r.resourceId,
    status: r.status,
    isMainResource: r.isMainResource,
    resourceTypeCode: r.resourceTypeCode ?? null,
    effectiveAt: r.effectiveAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
  };
}

/** Records the order's resources and their earliest expiry. */
export function recordResources(state: FollowOutputs, resources: PurchasedResource[]): void {
  state.purchasedResources = resources;
  const expiries = resources.flatMap((r) => (r.expiresAt ? [Date.parse(r.expiresAt)] : []));
  state.earliestExpiry = expiries.length > 0 ? new Date(Math.min(...expiries)).toISOString() : null;
}
