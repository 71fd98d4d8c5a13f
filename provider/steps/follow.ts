// Following an order through Huawei's billing service (BSS) as far as the resource's `waitUntil`
// asks: after create places (or finds) it, in an update that resumes where a create stopped, and
// when a raised `waitUntil` asks for more. The BSS side is provider/billing/follow-order.ts; a stop
// is recorded with the order ("stopped"), so the next `pulumi up` resumes and never orders again.
import type * as pulumi from "@pulumi/pulumi";
import { bss } from "../client";
import { NOT_FOLLOWED, type FollowOutputs } from "../contract/recorded-outputs";
import { AUTO_PAY_KEY, RESOURCE_NAME_KEY, WAIT_TIMEOUT_KEY, WAIT_UNTIL_KEY } from "../contract/resource-keys";
import type { Stage } from "../contract/resource-inputs";
import { FollowStopped, followOrder } from "../billing/follow-order";
import { paysItself } from "../orders/order-items";
import { followsFurther, resumeAction, transition } from "../lifecycle/order-state";
import { destroySettings, withState, withSubscription } from "../lifecycle/outputs";
import { named } from "../lifecycle/step";
import {
  message,
  PartialCreate,
  type CheckJob,
  type DiffJob,
  type PlaceJob,
  type ResourceJob,
} from "../lifecycle/jobs";
import { agreementOf } from "./auto-pay-agreement";
import { checkResourceInputs } from "./inputs";
import { inputsOf } from "../contract/resource-inputs";

type DiffResult = pulumi.dynamic.DiffResult;

const FOLLOW_INPUTS = inputsOf(WAIT_UNTIL_KEY, WAIT_TIMEOUT_KEY, AUTO_PAY_KEY);

export const follow = {
  check: named<CheckJob, pulumi.dynamic.CheckResult>("waitUntil, waitTimeoutSeconds, autoPay", (job) => {
    checkResourceInputs(job, FOLLOW_INPUTS);
    const autoPay = job.extra[AUTO_PAY_KEY];
    if (job.kind.payment === "items" && autoPay !== undefined) {
      job.failures.push({
        property: AUTO_PAY_KEY,
        reason:
          `is not a field of ${job.kind.name}: its order is paid automatically when every ` +
          `${job.kind.itemList ?? "order"} item has isAutoPay: true`,
      });
    } else if (autoPay === true && job.extra[WAIT_UNTIL_KEY] === "submitted") {
      job.failures.push({
        property: AUTO_PAY_KEY,
        reason: `autoPay pays the order while create follows it: it needs waitUntil "paid" or "provisioned", not "submitted"`,
      });
    }
    return undefined;
  }),

  /** No change to the order, but a declared waitUntil beyond what it reached: an update follows it further. */
  diff: named<DiffJob, DiffResult>("follow further", async (job) => {
    const wanted = job.extra[WAIT_UNTIL_KEY];
    if (job.changed.length > 0 || !followsFurther(job.recorded, wanted)) return undefined;
    const pays = job.extra[AUTO_PAY_KEY] === true && job.recorded.paymentSentAt === null;
    const what = `follows order ${job.id} from "${job.recorded.orderStage}" to "${wanted}"; no new order is placed`;
    if (pays) {
      await job.run.log.warn(
        job.describe(`${what}, and pays it through BSS if it waits for payment (autoPay)`),
      );
    } else await job.run.log.tell(job.describe(what));
    return { changes: true, replaces: [], deleteBeforeReplace: false };
  }),

  /** After the order is placed or found: followed as far as asked. */
  create: named<PlaceJob, pulumi.dynamic.CreateResult>("follow the order", async (job) => {
    const orderId = heldOrderId(job);
    return { id: orderId, outs: await followOrderOf(job, orderId, NOT_FOLLOWED) };
  }),

  /** An update of a held order: settled just now (follow from the start), or resumed where it stopped. */
  update: named<PlaceJob, pulumi.dynamic.UpdateResult>("resume following", async (job) => {
    if (job.state.state === "accepted" || job.state.state === "found") {
      return { outs: await followOrderOf(job, heldOrderId(job), NOT_FOLLOWED) };
    }
    const outs = { ...job.olds, [RESOURCE_NAME_KEY]: job.extra[RESOURCE_NAME_KEY], ...destroySettings(job) };
    const wanted = plan(job).wanted;
    if (resumeAction(job.recorded, wanted, bss.ORDER_STATUS.cancelled) === "record") {
      return { outs: withSubscription({ ...outs, orderState: "reached" }) };
    }
    job.outs = outs;
    job.state = transition(job.state, { on: "follow", wanted });
    return { outs: await followOrderOf(job, job.recorded.orderId, recordedFollowOf(job)) };
  }),
};

function recordedFollowOf(job: PlaceJob): FollowOutputs {
  const r = job.recorded;
  return Object.fromEntries(
    Object.keys(NOT_FOLLOWED).map((k) => [k, r[k as keyof FollowOutputs]]),
  ) as FollowOutputs;
}

function heldOrderId(job: PlaceJob): string {
  const s = job.state;
  if (s.state === "accepted" || s.state === "found" || s.state === "reached") return s.orderId;
  throw new Error(`order state machine: no order is held in "${s.state}"`);
}

/** How far to follow: the declared waitUntil, else "provisioned" for an order paid automatically. */
function plan(job: ResourceJob & { parsed: Record<string, unknown> }): {
  wanted: Stage;
  paysItself: boolean;
} {
  const pays = paysItself(job.kind, job.parsed);
  const wanted = job.resource.waitUntil ?? (pays || job.resource.autoPay ? "provisioned" : "submitted");
  return { wanted, paysItself: pays };
}

/**
 * Follows the order as far as the resource asks, and returns the outputs with what was learnt.
 * Anything that stops it throws the engine's partial create: the resource is saved with the order
 * and initialization errors ("stopped"), and the next `pulumi up` sends it to update.
 */
async function followOrderOf(
  job: PlaceJob,
  orderId: string,
  recorded: FollowOutputs,
): Promise<Record<string, unknown>> {
  const { wanted, paysItself: pays } = plan(job);
  if (job.state.state !== "following") job.state = transition(job.state, { on: "follow", wanted });
  if (wanted === "submitted") {
    if (!pays) {
      await job.run.log.tell(
        `${job.label}: order ${orderId} submitted and not followed (waitUntil "submitted"); it waits for payment. ${job.kind.payHint}`,
      );
    }
    job.state = transition(job.state, { on: "reached", stage: recorded.orderStage });
    return withSubscription(withState({ ...job.outs, ...recorded }, job.state));
  }
  try {
    const client = job.client();
    const followed = await followOrder({
      client,
      orderId,
      label: job.label,
      wanted,
      payThroughBss: job.resource.autoPay,
      paysItself: pays,
      payHint: job.kind.payHint,
      agreement: await agreementOf(job, client, job.parsed),
      timeoutMs: job.resource.waitTimeoutSeconds * 1000,
      pollMs: job.run.settings.orderPollIntervalSeconds * 1000,
      recorded,
      progress: (line) => job.run.log.tell(line),
      now: job.run.clock.now,
      sleep: job.run.clock.sleep,
    });
    job.state = transition(job.state, { on: "reached", stage: followed.orderStage });
    return withSubscription(withState({ ...job.outs, ...followed }, job.state));
  } catch (err) {
    const stopped = err instanceof FollowStopped ? err : undefined;
    const why = stopped
      ? stopped.message
      : job.describe(`following order ${orderId} failed: ${message(err)}`);
    const outputs = stopped?.outputs ?? recorded;
    job.state = transition(job.state, { on: "stopped", stage: outputs.orderStage, why });
    throw new PartialCreate(
      orderId,
      withSubscription(
        withState({ ...job.outs, ...outputs, __provider: job.extra["__provider"] }, job.state),
      ),
      why,
    );
  }
}
