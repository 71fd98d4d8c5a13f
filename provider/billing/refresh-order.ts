// Refresh: reads what BSS says of an order now (its status, payment, amounts, resources and
// expiry) and what became of its subscription outside Pulumi (unsubscribed, expired, frozen). It
// only reads: it never places, pays or unsubscribes anything. It never drops the order either: a
// subscription that is gone stays in the stack, marked in `subscriptionStatus`, and the operator
// is told what was found and what to do (returning no id would make the next `up` buy again).
import { bss } from "../client";
import type {
  FollowOutputs,
  PurchasedResource,
  RecordedOutputs,
  SubscriptionStatus,
} from "../contract/recorded-outputs";
import { isBefore } from "../contract/resource-inputs";
import { purchased, record, recordResources } from "./follow-order";

/** Outputs beside the follow outputs: the subscription's state and when BSS last told it. */
type SubscriptionOutputs = Pick<RecordedOutputs, "subscriptionStatus" | "subscriptionCheckedAt">;

/** Statuses that need the operator: the subscription is no longer what the stack bought. */
const LOST: ReadonlySet<SubscriptionStatus> = new Set(["frozen", "expired", "unsubscribed", "cancelled"]);

const { closed, frozen, expired } = { closed: 3, frozen: 4, expired: 5 } as const;

/** The subscription's state, from what the resource records of the order. */
export function subscriptionOf(f: FollowOutputs): SubscriptionStatus {
  if (f.orderStatus === null) return "unknown";
  if (f.orderStatus === bss.ORDER_STATUS.cancelled) return "cancelled";
  const resources = f.purchasedResources;
  if (resources.length === 0) return "pending";
  const any = (status: number) => resources.some((r) => r.status === status);
  if (any(closed)) return "unsubscribed";
  if (any(expired)) return "expired";
  if (any(frozen)) return "frozen";
  return "active";
}

export interface RefreshRequest {
  client: bss.BssClient;
  orderId: string;
  /** What the resource records (an older release's state: not followed). */
  recorded: FollowOutputs;
  now?: () => number;
}

export interface RefreshResult {
  outputs: FollowOutputs & SubscriptionOutputs;
  /** What the operator must hear about, or undefined when the subscription is as bought. */
  finding: string | undefined;
}

/**
 * Reads the order and, once it completed (or when resources were recorded), its resources. A
 * resource recorded before and no longer listed is kept, with status 3 (closed). Throws what BSS
 * throws: the caller keeps the state as it was.
 */
export async function refreshOrder(req: RefreshRequest): Promise<RefreshResult> {
  const now = req.now ?? Date.now;
  const state: FollowOutputs = { ...req.recorded, purchasedResources: [...req.recorded.purchasedResources] };
  const details = await bss.orderDetails(req.client, req.orderId);
  record(state, details);
  const status = details.status;
  const paid =
    state.paidAt !== null || status === bss.ORDER_STATUS.processing || status === bss.ORDER_STATUS.completed;
  if (paid && isBefore(state.orderStage, "paid")) state.orderStage = "paid";

  let gone: PurchasedResource[] = [];
  let unlisted = false;
  if (status === bss.ORDER_STATUS.completed || state.purchasedResources.length > 0) {
    const listed = (await bss.allOrderResources(req.client, { orderId: req.orderId })).map(purchased);
    const ids = new Set(listed.map((r) => r.resourceId));
    gone = state.purchasedResources
      .filter((r) => !ids.has(r.resourceId))
      .map((r) => ({ ...r, status: closed }));
    recordResources(state, [...listed, ...gone]);
    if (listed.length > 0 && status === bss.ORDER_STATUS.completed) state.orderStage = "provisioned";
    unlisted = status === bss.ORDER_STATUS.completed && listed.length === 0 && gone.length === 0;
  }
  const subscription = subscriptionOf(state);
  const outputs = {
    ...state,
    subscriptionStatus: subscription,
    subscriptionCheckedAt: new Date(now()).toISOString(),
  };
  return { outputs, finding: describeFinding(req.orderId, subscription, state, gone, unlisted) };
}

function describeFinding(
  orderId: string,
  subscription: SubscriptionStatus,
  state: FollowOutputs,
  gone: PurchasedResource[],
  unlisted: boolean,
): string | undefined {
  const order = `order ${orderId}`;
  if (unlisted) {
    return (
      `${order} is ${bss.describeOrderStatus(state.orderStatus ?? 0)} but BSS lists no resource of it: they may not be ` +
      `listed yet, or were unsubscribed or deleted outside Pulumi (check Billing Center > Orders). The resource stays ` +
      `in the stack, marked subscriptionStatus "pending"`
    );
  }
  if (!LOST.has(subscription)) return undefined;
  const which = (status: number) =>
    state.purchasedResources
      .filter((r) => r.status === status)
      .map((r) => `${r.resourceId}${r.expiresAt ? ` (expiry ${r.expiresAt})` : ""}`)
      .join(", ");
  const found: Record<Exclude<SubscriptionStatus, "unknown" | "pending" | "active">, () => string> = {
    cancelled: () =>
      `${order} was cancelled (status ${bss.describeOrderStatus(state.orderStatus ?? 0)}): nothing was bought`,
    unsubscribed: () =>
      gone.length > 0
        ? `BSS no longer lists ${gone.length} resource${gone.length === 1 ? "" : "s"} of ${order}: ${which(closed)} ` +
          `(unsubscribed, or deleted after expiring, outside Pulumi)`
        : `${order} has closed resources: ${which(closed)} (unsubscribed outside Pulumi)`,
    expired: () => `${order} has expired resources: ${which(expired)}`,
    frozen: () => `${order} has frozen resources: ${which(frozen)}`,
  };
  const what = found[subscription as keyof typeof found]();
  const renew =
    subscription === "expired" || subscription === "frozen"
      ? `renew it or settle the account in the Billing Center (Renewals; a frozen resource thaws once arrears are paid), then run \`pulumi refresh\`; `
      : "";
  return (
    `refresh found that ${what}. The resource stays in the stack, marked subscriptionStatus "${subscription}": ` +
    `forgetting it would make the next \`pulumi up\` buy the order again. Choose: ${renew}keep it as it is (nothing ` +
    `is bought or unsubscribed); buy a new order with \`pulumi up --replace <urn>\` (or change the order; a ` +
    `DisPackageOrder needs a new orderId); or remove it from the program and run \`pulumi up\` (with onDestroy ` +
    `"keep" nothing is sent), or \`pulumi state delete <urn>\` (\`pulumi stack --show-urns\` lists the URNs)`
  );
}
