// A stack moving from the dynamic resources to the provider plugin's (docs/yaml-and-other-languages.md "Moving a stack to
// the provider plugin"). The engine sees a new resource type, not the order the stack already
// holds: without this step the plugin's resource would buy it again. Check finds the stack's
// dynamic resource of the same kind and name in its checkpoint and refuses, at preview, a new
// resource that neither aliases it (then the engine moves it: check sees olds, and nothing reaches
// here) nor adopts its order (adoptOrderId), or that adopts it while the old one would unsubscribe
// it as it leaves the stack. Neither way sends anything.
import type * as pulumi from "@pulumi/pulumi";
import { ADOPT_KEY, RESOURCE_NAME_KEY } from "../contract/resource-keys";
import { orderTypeToken } from "../orders/order-kind";
import { named } from "../lifecycle/step";
import type { HeldDynamicOrder } from "../run/checkpoint";
import type { CheckJob } from "../lifecycle/jobs";

/** What the plugin's new resource may do about a dynamic predecessor: nothing to say, or a refusal. */
export function predecessorProblem(
  label: string,
  adoptOrderId: unknown,
  old: HeldDynamicOrder | undefined,
): string | undefined {
  if (old?.orderId === undefined) return undefined;
  const forget = `\`pulumi state delete '${old.urn}'\``;
  if (adoptOrderId !== old.orderId) {
    return (
      `this stack holds ${label} as a dynamic resource with order ${old.orderId}; declared through the ` +
      `provider plugin it would buy that order again. Keep the order with the resource option ` +
      `aliases: ["${old.urn}"] (the engine moves the resource, its order and its outputs to the plugin; ` +
      `nothing is sent), or set adoptOrderId: "${old.orderId}" (the order moves; the dynamic resource is ` +
      `forgotten as it leaves the program), or run ${forget} first if the order is not to be kept. ` +
      `Nothing was ordered`
    );
  }
  if (old.onDestroy === "unsubscribe") {
    return (
      `the dynamic resource ${label} leaving the program would unsubscribe order ${old.orderId} ` +
      `(its onDestroy is "unsubscribe") while this resource adopts it: forget it first with ${forget}. ` +
      `Nothing was ordered`
    );
  }
  return undefined;
}

export const moveToPlugin = {
  check: named<CheckJob, pulumi.dynamic.CheckResult>(
    "a dynamic predecessor's order is adopted",
    async (job) => {
      if (job.run.host !== "plugin" || !job.isNew) return undefined;
      const read = await job.run.checkpoint();
      if (!read.ok) {
        await job.run.warnOnce(
          `the stack's checkpoint could not be read (${read.reason}): whether it still holds order resources ` +
            `declared as dynamic resources, which the provider plugin's would buy again, is not known`,
        );
        return undefined;
      }
      const name = job.extra[RESOURCE_NAME_KEY];
      const type = orderTypeToken(job.kind.name);
      const old = read.heldDynamic.find((r) => r.type === type && r.name === name);
      const problem = predecessorProblem(job.label, job.extra[ADOPT_KEY], old);
      if (problem !== undefined) job.failures.push({ property: ADOPT_KEY, reason: problem });
      return undefined;
    },
  ),
};
