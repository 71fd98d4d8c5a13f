// Every new paid order is counted against the run's budget (`maxNewOrders`) and told to the
// operator with what it buys, at check (a new resource) and at diff (a replacement): a preview
// fails on the order over the budget before anything is bought.
import type * as pulumi from "@pulumi/pulumi";
import { DECLARED_KEY } from "../contract/recorded-outputs";
import { RESOURCE_NAME_KEY } from "../contract/resource-keys";
import { replacementNote } from "../orders/order-items";
import { fieldNames } from "../orders/schema-kit";
import { isProps, type CheckJob, type DiffJob, type Props, type ResourceJob } from "../lifecycle/jobs";
import { named } from "../lifecycle/step";

type DiffResult = pulumi.dynamic.DiffResult;

export const budget = {
  /** A new resource: counted, and announced with the advice for a renamed one. */
  check: named<CheckJob, pulumi.dynamic.CheckResult>("count and announce the new order", (job) => {
    job.together.push(
      newOrder(
        job,
        "places a new paid order. If this resource was renamed or moved, give it `aliases` to keep its order instead",
      ),
    );
    return undefined;
  }),

  /** An order cannot be edited: any change to what defines it is a new order. */
  diff: named<DiffJob, DiffResult>("count and announce the replacement", async (job) => {
    if (job.changed.length === 0) return undefined;
    const note = replacement(job);
    const old =
      job.recorded.onDestroy === "unsubscribe"
        ? `unsubscribes order ${job.id} once the new one is created (onDestroy "unsubscribe", as recorded)`
        : `abandons order ${job.id}, which stays billed (${job.kind.unsubscribeHint})`;
    await newOrder(
      job,
      `changing ${job.changed.join(", ")} replaces it: places a new paid order and ${old}${note ? ` ${note}` : ""}`,
    );
    return { changes: true, replaces: job.changed, deleteBeforeReplace: false };
  }),
};

/**
 * Counts a new order against the run's budget and tells the operator what it buys: throws at once
 * when the order is over the budget (before anything else of the check is sent).
 */
function newOrder(job: ResourceJob, what: string): Promise<void> {
  const label = `${job.kind.name} '${String(job.extra[RESOURCE_NAME_KEY] ?? "?")}'`;
  const { first, refusal } = job.run.budget.count(label, label, job.run.settings.maxNewOrders);
  if (refusal) throw new Error(job.describe(refusal));
  if (!first) return Promise.resolve(); // already announced: the check the engine repeats for a replacement
  return job.line(job.run.log.warn(job.describe(what)));
}

/** What a replacement buys again, for kinds whose one order holds several items. */
function replacement(job: DiffJob): string | undefined {
  const recorded = job.olds[DECLARED_KEY];
  const before = job.kind.inputs.safeParse(
    isProps(recorded)
      ? recorded
      : Object.fromEntries(fieldNames(job.kind.inputs).map((k) => [k, (job.olds as Props)[k]])),
  );
  const after = job.kind.inputs.safeParse(job.order);
  return before.success && after.success ? replacementNote(job.kind, before.data, after.data) : undefined;
}
