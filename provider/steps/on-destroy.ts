// What destroy (and the old order of a replacement) does, as the resource records it: "keep"
// forgets the order and says how to unsubscribe it; "unsubscribe" unsubscribes its resources
// through BSS and waits until they are gone (provider/billing/unsubscribe-order.ts). Anything that
// stops it fails the destroy: the resource stays in the stack.
import type * as pulumi from "@pulumi/pulumi";
import { DECLARED_KEY } from "../contract/recorded-outputs";
import { ON_DESTROY_KEY } from "../contract/resource-keys";
import { DEFAULT_WAIT_TIMEOUT_SECONDS } from "../contract/resource-inputs";
import { unsubscribeOrder } from "../billing/unsubscribe-order";
import { oneOffItems } from "../orders/order-items";
import { fieldNames, UNKNOWN } from "../orders/schema-kit";
import type { HuaweiCloudClient } from "../client";
import { destroySettings } from "../lifecycle/outputs";
import { named } from "../lifecycle/step";
import { isProps, message, type CheckJob, type DiffJob, type HeldJob, type Props } from "../lifecycle/jobs";
import { checkResourceInputs } from "./inputs";
import { inputsOf } from "../contract/resource-inputs";

type DiffResult = pulumi.dynamic.DiffResult;

const DESTROY_INPUTS = inputsOf(ON_DESTROY_KEY);

export const onDestroy = {
  /** onDestroy's problems, named at preview: a bad value, or "unsubscribe" of a one-off purchase. */
  check: named<CheckJob, pulumi.dynamic.CheckResult>("onDestroy", (job) => {
    const value = job.extra[ON_DESTROY_KEY];
    if (value === undefined || value === UNKNOWN) return undefined;
    const before = job.failures.length;
    checkResourceInputs(job, DESTROY_INPUTS);
    if (job.failures.length > before) return undefined;
    const oneOff = value === "unsubscribe" && job.parsed ? oneOffItems(job.kind, job.parsed) : [];
    if (oneOff.length > 0) {
      job.failures.push({
        property: ON_DESTROY_KEY,
        reason:
          `a one-off purchase cannot be unsubscribed (${oneOff.join(", ")} is 6, one-off): set onDestroy "keep", ` +
          `or declare the one-off items in a ${job.kind.name} of their own`,
      });
    }
    return undefined;
  }),

  /**
   * Changing only onDestroy (or, with "unsubscribe", the timeout destroy waits) is an update that
   * records it: no order is placed and nothing is sent. The last step of a diff with no change.
   */
  diff: named<DiffJob, DiffResult>("record what destroy does", async (job) => {
    if (job.changed.length > 0) return undefined;
    const before = { onDestroy: job.recorded.onDestroy, waitTimeoutSeconds: recordedTimeout(job.olds) };
    const after = destroySettings(job);
    const changed =
      before.onDestroy !== after.onDestroy ||
      (after.onDestroy === "unsubscribe" && before.waitTimeoutSeconds !== after.waitTimeoutSeconds);
    if (!changed || job.extra[ON_DESTROY_KEY] === UNKNOWN) {
      return { changes: false, replaces: [], deleteBeforeReplace: false };
    }
    await job.run.log.tell(
      job.describe(
        `destroy will ${after.onDestroy === "unsubscribe" ? `unsubscribe order ${String(job.olds["orderId"])} (waiting up to ${after.waitTimeoutSeconds} s)` : "keep the order"}; ` +
          `recorded by an update that places no order and sends nothing`,
      ),
    );
    return { changes: true, replaces: [], deleteBeforeReplace: false };
  }),

  delete: named<HeldJob, true>("unsubscribe or keep the order", async (job): Promise<true> => {
    const orderId = job.recorded.orderId;
    if (job.recorded.onDestroy === "unsubscribe") {
      await unsubscribe(job, orderId);
      return true;
    }
    const props = job.olds;
    const placed =
      typeof props["submittedAt"] === "string"
        ? `placed ${props["submittedAt"]}`
        : "adopted, not placed by this stack";
    const requestId = typeof props["requestId"] === "string" ? `, X-Request-Id ${props["requestId"]}` : "";
    await job.run.log.warn(
      `${job.recordedLabel}: order ${orderId} (${placed}${requestId}) was removed from the stack, but the order ` +
        `still exists in Huawei Cloud and is still billed as ordered: there is no API to cancel it. ` +
        job.kind.unsubscribeHint +
        (declaredOneOff(job).length === 0
          ? ` (The input onDestroy: "unsubscribe" does this on destroy.)`
          : ""),
    );
    return true;
  }),
};

/** The timeout recorded for destroy; the default for resources recorded before it was. */
function recordedTimeout(props: Props): number {
  const timeout = props["waitTimeoutSeconds"];
  return typeof timeout === "number" && timeout > 0 ? timeout : DEFAULT_WAIT_TIMEOUT_SECONDS;
}

async function unsubscribe(job: HeldJob, orderId: string): Promise<void> {
  const label = job.recordedLabel;
  const oneOff = declaredOneOff(job);
  if (oneOff.length > 0) {
    throw new Error(
      `${label}: order ${orderId} holds one-off items (${oneOff.join(", ")} is 6), which cannot be unsubscribed; ` +
        `nothing was sent. Set onDestroy "keep" (and run \`pulumi up\`) to remove it from the stack without unsubscribing`,
    );
  }
  let client: HuaweiCloudClient;
  try {
    client = job.run.client(job.clientSettings());
  } catch (err) {
    throw new Error(
      `${label}: order ${orderId} was not unsubscribed: ${message(err)}. The resource stays in the stack`,
    );
  }
  try {
    await unsubscribeOrder({
      client,
      orderId,
      label,
      timeoutMs: recordedTimeout(job.olds) * 1000,
      pollMs: job.run.settings.orderPollIntervalSeconds * 1000,
      progress: (line) => job.run.log.tell(line),
      now: job.run.clock.now,
      sleep: job.run.clock.sleep,
      sentByThisRun: job.run.unsubscriptionsSent,
    });
  } catch (err) {
    const text = message(err);
    const kept = /The resource stays in the stack/.test(text) ? "" : `. Order ${orderId} stays in the stack`;
    throw new Error(`${label}: ${text}${kept}`);
  }
}

/** The property paths of the declared one-off items, which BSS cannot unsubscribe. */
function declaredOneOff(job: HeldJob): string[] {
  const declared = job.olds[DECLARED_KEY];
  const parsed = job.kind.inputs.safeParse(
    isProps(declared)
      ? declared
      : Object.fromEntries(fieldNames(job.kind.inputs).map((k) => [k, job.olds[k]])),
  );
  return parsed.success ? oneOffItems(job.kind, parsed.data) : [];
}
