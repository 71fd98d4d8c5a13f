// Follows an accepted order through BSS, as far as the resource's `waitUntil` asks: reads the
// order until it is paid (payment_time set, or 3 processing / 5 completed) or provisioned (5
// completed and its resources listed), pays it through BSS when the program asked for auto-pay,
// and tells the operator each status it sees. It never places an order; whatever stops it
// returns what it learnt, so the resource is recorded with the order (see order-provider.ts).
import { z } from "zod";
import { bss, HuaweiCloudError, OutcomeUnknownError } from "../client";
import { AUTO_PAY_KEY, WAIT_TIMEOUT_KEY, WAIT_UNTIL_KEY } from "../contract/resource-keys";

/** How far an order has gone, in order. */
export const STAGES = ["submitted", "paid", "provisioned"] as const;
export type Stage = (typeof STAGES)[number];

const rank = (stage: Stage): number => STAGES.indexOf(stage);
export const isBefore = (a: Stage, b: Stage): boolean => rank(a) < rank(b);

/** Terraform's huaweicloud_metastudio_instance waits up to 40 minutes; so do we by default. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 40 * 60;
/** Terraform polls the order every 10 seconds. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 10;

/** The inputs that say how create follows the order; none of them is part of the order. */
export const followInputs = z.strictObject({
  /**
   * How far create follows the order: "submitted" (the request was accepted), "paid" or
   * "provisioned" (completed, its resources listed). Default: "provisioned" when the order is paid
   * automatically (DisPackageOrder `autoPay`, MetaStudio `isAutoPay` on every item), otherwise
   * "submitted" (README "Following an order").
   */
  [WAIT_UNTIL_KEY]: z
    .enum(STAGES, { error: `${WAIT_UNTIL_KEY} must be "submitted", "paid" or "provisioned"` })
    .optional(),
  /** How long to follow the order, in seconds, more than 0. Default: 2400 (40 minutes). */
  [WAIT_TIMEOUT_KEY]: z
    .number({ error: `${WAIT_TIMEOUT_KEY} must be a number of seconds` })
    .finite(`${WAIT_TIMEOUT_KEY} must be a number of seconds`)
    .positive(`${WAIT_TIMEOUT_KEY} must be more than 0`)
    .default(DEFAULT_WAIT_TIMEOUT_SECONDS),
  /** DisPackageOrder: pay the order through BSS once it waits for payment. Default: false. */
  [AUTO_PAY_KEY]: z.boolean({ error: `${AUTO_PAY_KEY} must be true or false` }).default(false),
});
export type FollowSettings = z.output<typeof followInputs>;

/** `huaweicloud:orderPollIntervalSeconds`: a number of seconds above 0, or undefined when unset. */
export function parsePollInterval(value: string | undefined): number | { error: string } | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) && n > 0
    ? n
    : { error: `huaweicloud:orderPollIntervalSeconds must be a number of seconds above 0, got "${value}"` };
}

export interface PurchasedResource {
  resourceId: string;
  /** OrderInstanceV2.status: 2 in use, 3 closed, 4 frozen, 5 expired. */
  status: number;
  isMainResource: boolean;
  resourceTypeCode: string | null;
  effectiveAt: string | null;
  expiresAt: string | null;
}

/** What the resource records of the order's billing (null: not read yet). */
export interface FollowOutputs {
  /** How far the order is known to have gone. */
  orderStage: Stage;
  /** CustomerOrderV3.status as last read (e.g. 6 pending payment, 5 completed). */
  orderStatus: number | null;
  paidAt: string | null;
  /** When this stack sent the order's payment through BSS; never sent twice. */
  paymentSentAt: string | null;
  officialAmount: number | null;
  amountAfterDiscount: number | null;
  currency: string | null;
  purchasedResources: PurchasedResource[];
  /** The earliest expiry among the purchased resources. */
  earliestExpiry: string | null;
}

export const NOT_FOLLOWED: FollowOutputs = {
  orderStage: "submitted",
  orderStatus: null,
  paidAt: null,
  paymentSentAt: null,
  officialAmount: null,
  amountAfterDiscount: null,
  currency: null,
  purchasedResources: [],
  earliestExpiry: null,
};

/** The follow outputs recorded in a resource's state (those of an older release: not followed). */
export function recordedFollow(props: Record<string, unknown>): FollowOutputs {
  const out = { ...NOT_FOLLOWED };
  for (const key of Object.keys(NOT_FOLLOWED) as (keyof FollowOutputs)[]) {
    if (props[key] !== undefined) (out as Record<string, unknown>)[key] = props[key];
  }
  if (!STAGES.includes(out.orderStage)) out.orderStage = "submitted";
  return out;
}

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
 * BSS's "Invalid order. The order may not exist." A new order may reach BSS a moment after the
 * service accepted it: until the timeout, that answer means "not known to BSS yet".
 */
const ORDER_NOT_FOUND = "CBC.30000010";

/** Follows the order until it reaches `wanted`; throws FollowStopped otherwise. */
export async function followOrder(req: FollowRequest): Promise<FollowOutputs> {
  const now = req.now ?? Date.now;
  const sleep = req.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  const deadline = started + req.timeoutMs;
  const state: FollowOutputs = { ...req.recorded, purchasedResources: [...req.recorded.purchasedResources] };
  const order = `order ${req.orderId}`;
  const stop = (why: string): never => {
    throw new FollowStopped(`${req.label}: ${why}`, { ...state });
  };
  let told: string | undefined;
  const tell = async (line: string) => {
    if (line === told) return; // status by status, not poll by poll
    told = line;
    await req.progress(`${req.label}: ${line}`);
  };

  for (;;) {
    let details: bss.OrderDetails | undefined;
    try {
      details = await bss.orderDetails(req.client, req.orderId);
    } catch (err) {
      const notYet = err instanceof HuaweiCloudError && err.metadata.errorCode === ORDER_NOT_FOUND;
      if (!notYet || now() >= deadline) {
        return stop(`reading ${order} through BSS failed: ${message(err)}. ${resume(req)}`);
      }
      await tell(`${order} is not known to BSS yet (${ORDER_NOT_FOUND}); waiting for it`);
    }
    if (details === undefined) {
      await sleep(Math.min(req.pollMs, Math.max(deadline - now(), 0)));
      continue;
    }
    record(state, details);
    const status = details.status;
    const described = bss.describeOrderStatus(status);

    if (status === cancelled) {
      return stop(
        `${order} was cancelled (status ${described}): nothing was bought. To buy again, change the ` +
          `order (a DisPackageOrder needs a new orderId) or remove this resource from the stack ` +
          `(\`pulumi state delete\`); running \`pulumi up\` again changes nothing`,
      );
    }
    if (status === pendingPayment && req.payThroughBss && state.paymentSentAt === null) {
      await tell(`${order} is ${described}: paying it through BSS (autoPay)`);
      state.paymentSentAt = new Date(now()).toISOString();
      try {
        const paid = await bss.payOrder(req.client, req.orderId);
        await tell(`${order} paid through BSS (X-Request-Id ${paid.requestId ?? "(none)"})`);
      } catch (err) {
        // A refused payment moved no money: a later run may pay again. An unknown one stays sent.
        if (!(err instanceof OutcomeUnknownError)) state.paymentSentAt = null;
        return stop(`paying ${order} through BSS failed: ${message(err)}. ${resume(req)}`);
      }
      continue; // read the order again at once: the payment moved it on
    }

    const paid = state.paidAt !== null || status === processing || status === completed;
    if (paid && isBefore(state.orderStage, "paid")) state.orderStage = "paid";
    if (req.wanted === "paid" && paid) {
      await tell(`${order} is ${described}, paid${state.paidAt ? ` at ${state.paidAt}` : ""}`);
      return state;
    }
    if (req.wanted === "provisioned" && status === completed) {
      let resources: bss.OrderResource[];
      try {
        resources = await bss.allOrderResources(req.client, { orderId: req.orderId });
      } catch (err) {
        return stop(`reading the resources of ${order} through BSS failed: ${message(err)}. ${resume(req)}`);
      }
      if (resources.length > 0) {
        recordResources(state, resources.map(purchased));
        state.orderStage = "provisioned";
        await tell(
          `${order} is ${described}: ${resources.length} resource${resources.length === 1 ? "" : "s"} ` +
            `(${resources.map((r) => r.resourceId).join(", ")}), earliest expiry ${state.earliestExpiry ?? "none"}`,
        );
        return state;
      }
      await tell(`${order} is ${described}; its resources are not listed yet`);
    } else {
      await tell(`${order} is ${described}${waitingNote(req, status, state)}`);
    }

    const left = deadline - now();
    if (left <= 0) {
      return stop(
        `${order} is still ${described} after ${Math.round((now() - started) / 1000)} s ` +
          `(waitUntil "${req.wanted}", waitTimeoutSeconds ${req.timeoutMs / 1000})` +
          `${status === pendingPayment && !req.payThroughBss ? `: it waits for payment. ${req.payHint}` : ""}. ` +
          `${resume(req)} To wait longer, raise waitTimeoutSeconds; to stop following it, set waitUntil ` +
          `"submitted"`,
      );
    }
    await sleep(Math.min(req.pollMs, left));
  }
}

function waitingNote(req: FollowRequest, status: number, state: FollowOutputs): string {
  if (status === pendingPayment) {
    if (state.paymentSentAt !== null) {
      return `, though this stack paid it at ${state.paymentSentAt} (it is never paid twice): check the order in the Billing Center`;
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
