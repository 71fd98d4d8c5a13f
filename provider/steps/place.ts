// Placing the order: exactly one request per intent. Create drives the order's state machine
// (lifecycle/order-state.ts) from "new": sent, then accepted, or, when the outcome is unknown,
// looked up through BSS (steps/reconcile.ts) before anything is sent again.
import type * as pulumi from "@pulumi/pulumi";
import { bss, HuaweiCloudError, OrderOutcomeUnknownError, type HuaweiCloudClient } from "../client";
import { orderIdInput, placedOrderId, requestOrderId } from "../orders/order-items";
import { toWire } from "../orders/schema-kit";
import { maySendAgain, transition } from "../lifecycle/order-state";
import { newOrderOutputs } from "../lifecycle/outputs";
import { named } from "../lifecycle/step";
import { PartialCreate, type DiffJob, type PlaceJob } from "../lifecycle/jobs";
import { reconcile } from "./reconcile";

type DiffResult = pulumi.dynamic.DiffResult;

export const place = {
  /** A DIS order is the order its id names: other parameters under the same id are refused, never sent. */
  diff: named<DiffJob, DiffResult>("same order id, other parameters", (job) => {
    const idInput = orderIdInput(job.kind);
    if (job.changed.length === 0 || idInput === undefined) return undefined;
    if (job.order[idInput] !== job.olds[idInput] || job.changed.includes(idInput)) return undefined;
    throw new Error(
      job.describe(
        `${job.changed.join(", ")} changed, but ${idInput} is still ${String(job.order[idInput])}, an order this ` +
          `resource already submitted: a different order needs a different ${idInput}. Set ${idInput} to ` +
          `the new order's id, or undo the change to keep the order as it is. Nothing was ordered`,
      ),
    );
  }),

  /** Update of a resource still pending after reconcile.update: BSS asked again, sent again only if not placed. */
  resume: named<PlaceJob, pulumi.dynamic.UpdateResult>("settle and place a pending request", async (job) => {
    if (job.state.state !== "outcome-unknown") return undefined;
    const client = job.client();
    try {
      job.state = await reconcile.settle(job, client);
      if (job.state.state === "not-placed") {
        await reconcile.sendingAgain(job);
        await placeOrder(job);
      }
    } catch (err) {
      // Still pending: the resource keeps its id (an update cannot change it).
      if (err instanceof PartialCreate)
        throw new PartialCreate(job.id, { ...job.olds, ...err.properties }, err.message);
      throw err;
    }
    return undefined;
  }),

  /**
   * Sends the order request; settles an unknown outcome through BSS before sending again (once).
   * An order the duplicate guard took (an interrupted create's) is not placed again.
   */
  create: named<PlaceJob, pulumi.dynamic.CreateResult>("place the order", async (job) => {
    if (job.state.state === "new") await placeOrder(job);
    return undefined;
  }),
};

/**
 * Runs the machine from "new" (or "not-placed") until the order is known ("accepted", "found");
 * a request settled as pending throws the engine's partial create (reconcile.ts).
 */
export async function placeOrder(job: PlaceJob): Promise<void> {
  const client = job.client();
  for (;;) {
    job.state = transition(job.state, { on: "send" });
    try {
      await send(job, client);
      return;
    } catch (err) {
      if (!(err instanceof OrderOutcomeUnknownError)) throw await refused(job, client, err);
      job.state = transition(job.state, {
        on: "unknown",
        sentAt: err.sentAt.toISOString(),
        requestId: err.metadata.requestId ?? null,
        cause: err.message,
      });
      await job.run.log.warn(
        job.describe(
          `the outcome of the order request sent at ${err.sentAt.toISOString()} is unknown ` +
            `(${describeFailure(err)}); looking it up through BSS before anything is sent again`,
        ),
      );
    }
    job.state = await reconcile.settle(job, client);
    if (job.state.state === "found") return;
    if (!maySendAgain(job.state)) throw reconcile.sentTwice(job);
    await reconcile.sendingAgain(job);
  }
}

async function send(job: PlaceJob, client: HuaweiCloudClient): Promise<void> {
  // Only a path that carries the project needs its id first: a DIS order with a ready token needs none.
  const pathProject = job.kind.projectInPath ? await client.projectId() : "";
  const result = await job.run.ledger.sending(() =>
    client.call({
      service: job.kind.service,
      operation: job.kind.operation,
      method: "POST",
      path: job.kind.path(job.parsed, pathProject),
      body: toWire(job.kind.inputs, job.parsed),
      creates: true,
    }),
  );
  const orderId = placedOrderId(job.kind, job.parsed, result.body);
  if (!orderId) {
    throw new Error(
      `the order request was accepted (HTTP ${result.status}, X-Request-Id ${result.requestId ?? "(none)"}, ` +
        `sent at ${result.sentAt.toISOString()}) but the answer carried no order id. An order may exist: ` +
        `find it in the Billing Center and adopt it with the input \`adoptOrderId\` before running again`,
    );
  }
  job.run.ledger.held.add(orderId);
  const sentAt = result.sentAt.toISOString();
  job.state = transition(job.state, { on: "answered", orderId, requestId: result.requestId ?? null, sentAt });
  job.outs = newOrderOutputs(job, {
    orderId,
    requestId: result.requestId ?? null,
    submittedAt: sentAt,
    region: client.settings.region,
    projectId: pathProject || (client.knownProjectId() ?? null),
    adopted: false,
  });
}

/**
 * A refused request for an order whose id the program names (DIS): the id may already be an
 * order, placed by a run the engine lost (an interrupted create) or held by another resource.
 * BSS says whether it is, and the error says which order and how to take it; it is never taken
 * silently, since a provider cannot tell the two apart and two resources must not hold one
 * order. One BSS request, only after a refusal.
 */
async function refused(job: PlaceJob, client: HuaweiCloudClient, err: unknown): Promise<Error> {
  if (!(err instanceof HuaweiCloudError) || err.metadata.httpStatus !== 400) return job.wrap(err);
  const orderId = requestOrderId(job.kind, job.parsed);
  if (!orderId) return job.wrap(err);
  let details: bss.OrderDetails;
  try {
    details = await bss.orderDetails(client, orderId);
  } catch {
    return job.wrap(err); // not an order BSS knows (or BSS cannot say): the refusal stands
  }
  const held = job.run.ledger.held.has(orderId) ? " Another resource of this run holds it." : "";
  const error = new Error(
    job.describe(
      `${err.message}. BSS shows order ${orderId} already placed (created ` +
        `${details.createdAt?.toISOString() ?? "at an unknown time"}, status ${bss.describeOrderStatus(details.status)}).` +
        `${held} If it is this resource's order (an earlier \`pulumi up\` was interrupted while creating it: ` +
        `the engine warned of a pending create), set \`adoptOrderId: "${orderId}"\` and run \`pulumi up\`: ` +
        `the resource takes it and nothing is ordered. If another resource holds it, give this one another ` +
        `orderId. Nothing was ordered`,
    ),
  );
  error.name = err.name;
  return error;
}

/** "HTTP 502, X-Request-Id ..." or the transport failure, for one line. */
function describeFailure(err: HuaweiCloudError): string {
  const m = err.metadata;
  const parts = [
    m.httpStatus !== undefined ? `HTTP ${m.httpStatus}` : "no answer",
    ...(m.errorCode ? [`error_code ${m.errorCode}`] : []),
    `X-Request-Id ${m.requestId ?? "(none received)"}`,
  ];
  return parts.join(", ");
}
