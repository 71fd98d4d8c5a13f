// `adoptOrderId`: the resource takes an order that already exists (placed outside Pulumi, or by a
// run whose outcome was unknown) instead of placing one, and sends nothing. It stands in for the
// `import` resource option, which Node dynamic resources cannot use (contract/resource-keys.ts).
import type * as pulumi from "@pulumi/pulumi";
import { ADOPT_KEY } from "../contract/resource-keys";
import { requestOrderId } from "../orders/order-items";
import { UNKNOWN } from "../orders/schema-kit";
import { checkResourceInputs } from "./inputs";
import { inputsOf } from "../contract/resource-inputs";
import { named } from "../lifecycle/step";
import { transition } from "../lifecycle/order-state";
import { newOrderOutputs } from "../lifecycle/outputs";
import type { CheckJob, DiffJob, PlaceJob } from "../lifecycle/jobs";

type CheckResult = pulumi.dynamic.CheckResult;
type DiffResult = pulumi.dynamic.DiffResult;

const ADOPT_INPUTS = inputsOf(ADOPT_KEY);

export const adopt = {
  check: named<CheckJob, CheckResult>("adoptOrderId", (job) => {
    const value = job.extra[ADOPT_KEY];
    if (value === undefined || value === UNKNOWN) return undefined;
    const before = job.failures.length;
    checkResourceInputs(job, ADOPT_INPUTS);
    if (job.failures.length > before) return undefined;
    const own = job.parsed ? requestOrderId(job.kind, job.parsed) : undefined;
    if (own !== undefined && own !== UNKNOWN && own !== value) {
      job.failures.push({
        property: ADOPT_KEY,
        reason: `adoptOrderId must be this resource's orderId (${own}): a ${job.kind.name} adopts its own order`,
      });
    }
    return undefined;
  }),

  /** A new resource that adopts: said at preview, nothing more to check (no price, no guard). */
  announce: named<CheckJob, CheckResult>("announce the adoption", async (job) => {
    const value = job.extra[ADOPT_KEY];
    if (typeof value !== "string") return undefined;
    await job.line(
      job.run.log.warn(job.describe(`adopts order ${value} into the stack; no order is placed`)),
    );
    return { inputs: job.inputs };
  }),

  /**
   * Left in place after the adoption, it would make the replacement adopt the old order again
   * instead of placing the new one the changed parameters call for.
   */
  diff: named<DiffJob, DiffResult>("adoptOrderId still names the held order", (job) => {
    if (job.changed.length === 0 || job.extra[ADOPT_KEY] !== job.id) return undefined;
    throw new Error(
      job.describe(
        `adoptOrderId still names order ${job.id}, which this resource already holds; changing ` +
          `${job.changed.join(", ")} needs a new order: remove adoptOrderId. Nothing was ordered`,
      ),
    );
  }),

  /** Create: records the named order with the program's parameters, and sends nothing. */
  create: named<PlaceJob, pulumi.dynamic.CreateResult>("adopt the named order", (job) => {
    const orderId = job.extra[ADOPT_KEY];
    if (typeof orderId !== "string") return undefined;
    job.state = transition(job.state, { on: "adopt", orderId });
    return { id: orderId, outs: adopted(job, orderId) };
  }),
};

/** The outputs of an adopted order: region and project as configured, if they are (no credentials needed). */
export function adopted(job: PlaceJob, orderId: string) {
  let settings: { region: string; projectId?: string | undefined } | undefined;
  try {
    settings = job.clientSettings();
  } catch {
    settings = undefined; // adopting needs no credentials: region and project are recorded if set
  }
  return newOrderOutputs(job, {
    orderId,
    requestId: null,
    submittedAt: null,
    region: settings?.region ?? null,
    projectId: settings?.projectId ?? null,
    adopted: true,
  });
}
