// An order request whose outcome is unknown (a timeout after it was sent, a reset, a 5xx) is
// looked up through BSS before anything is sent again: found, it is the resource's order; not
// placed, the request is sent once more; several candidates, or BSS unable to answer, and the
// resource is recorded as pending ("outcome-unknown"), so that the next `pulumi up` looks again
// instead of ordering blindly. Diff, update, read and delete ask the recorded state.
import type * as pulumi from "@pulumi/pulumi";
import type { HuaweiCloudClient } from "../client";
import { ADOPT_KEY } from "../contract/resource-keys";
import {
  describeCandidate,
  ReconcileFailed,
  reconcileOrder,
  type Reconciled,
} from "../billing/reconcile-order";
import { expectedLines, requestOrderId } from "../orders/order-items";
import { transition, recordedStateOf, type OrderState } from "../lifecycle/order-state";
import { newOrderOutputs } from "../lifecycle/outputs";
import { named } from "../lifecycle/step";
import { PartialCreate, type CheckJob, type DiffJob, type HeldJob, type PlaceJob } from "../lifecycle/jobs";
import { adopted } from "./adopt";

type Unknown = Extract<OrderState, { state: "outcome-unknown" }>;
type DiffResult = pulumi.dynamic.DiffResult;

export const reconcile = {
  /**
   * Every phase of a held resource starts here: its order is never taken for a duplicate (or a
   * reconcile's candidate) of another resource's order, and the program is still declaring.
   */
  /** Check: the engine showed a resource, so the program is still declaring (the duplicate guard waits for quiet). */
  shown: named<CheckJob, never>("the program is still declaring", (job) => {
    job.run.ledger.shown();
    return undefined;
  }),

  hold: named<HeldJob, never>("hold the recorded order", (job) => {
    job.run.ledger.shown();
    if (job.recorded.orderState !== "outcome-unknown") job.run.ledger.held.add(job.recorded.orderId);
    return undefined;
  }),

  diff: named<DiffJob, DiffResult>("a pending request is settled first", async (job) => {
    const pending = recordedStateOf(job.recorded);
    if (pending.state !== "outcome-unknown") return undefined;
    if (job.changed.length === 0) {
      await job.run.log.warn(
        job.describe(
          `its order request sent at ${pending.sentAt} had an unknown outcome: \`up\` looks the order up ` +
            `through BSS first, and sends the request again only if BSS shows it was not placed`,
        ),
      );
      return { changes: true, replaces: [], deleteBeforeReplace: false };
    }
    // A replacement would place a new order while the pending request may have placed one.
    throw new Error(
      job.describe(
        `${job.changed.join(", ")} changed, but the order request sent at ${pending.sentAt} had an unknown ` +
          `outcome and is not settled yet: undo the change and run \`pulumi up\` (it looks the order up ` +
          `through BSS), or set \`adoptOrderId\` to the order it placed. Nothing was ordered`,
      ),
    );
  }),

  /**
   * Update of a pending resource: `adoptOrderId` names its order; otherwise the machine stays in
   * "outcome-unknown" and place.resume asks BSS again.
   */
  update: named<PlaceJob, pulumi.dynamic.UpdateResult>("settle a pending request", async (job) => {
    const pending = recordedStateOf(job.recorded);
    job.state = pending;
    if (pending.state !== "outcome-unknown") return undefined;
    const adopt = job.extra[ADOPT_KEY];
    if (typeof adopt === "string") {
      job.run.ledger.held.add(adopt);
      await job.run.log.warn(
        job.describe(
          `adopts order ${adopt} for the order request sent at ${pending.sentAt}; nothing is sent`,
        ),
      );
      job.state = transition(job.state, { on: "adopt", orderId: adopt });
      job.outs = { ...adopted(job, adopt), submittedAt: pending.sentAt };
      return undefined;
    }
    return undefined;
  }),

  read: named<HeldJob, pulumi.dynamic.ReadResult>("a pending request is kept as it is", async (job) => {
    const pending = recordedStateOf(job.recorded);
    if (pending.state !== "outcome-unknown") return undefined;
    // No order to read yet: `up` settles it (reconcile) before anything else.
    await job.run.log.warn(
      `${job.label}: its order request sent at ${pending.sentAt} had an unknown outcome and is not settled yet; ` +
        `refresh keeps it as it is. Run \`pulumi up\`: it looks the order up through BSS before anything is sent`,
    );
    return { id: job.id, props: job.olds };
  }),

  /**
   * No order is known to unsubscribe: "keep" forgets the resource and says an order may exist;
   * "unsubscribe" refuses, since nothing could be unsubscribed.
   */
  delete: named<HeldJob, true>(
    "a pending request has no order to unsubscribe",
    async (job): Promise<true | undefined> => {
      const pending = recordedStateOf(job.recorded);
      if (pending.state !== "outcome-unknown") return undefined;
      const what =
        `its order request sent at ${pending.sentAt} (X-Request-Id ${pending.requestId ?? "(none received)"}) ` +
        `had an unknown outcome that was never settled, so an order may exist`;
      if (job.recorded.onDestroy === "unsubscribe") {
        throw new Error(
          `${job.label}: ${what}, and none is known to unsubscribe; nothing was sent. Run \`pulumi up\` first (it looks ` +
            `the order up through BSS), or set onDestroy "keep" to forget it. The resource stays in the stack`,
        );
      }
      await job.run.log.warn(
        `${job.label} was removed from the stack: ${what}. Look in the Billing Center for an order placed at that time; ` +
          job.kind.unsubscribeHint,
      );
      return true;
    },
  ),

  /** From "outcome-unknown": to "found" or "not-placed"; a pending result throws the partial create. */
  async settle(job: PlaceJob, client: HuaweiCloudClient): Promise<OrderState> {
    const unknown = job.state as Unknown;
    let found: Reconciled;
    try {
      found = await lookUp(job, client, unknown);
    } catch (err) {
      if (!(err instanceof ReconcileFailed)) throw err;
      throw pendingCreate(
        job,
        client,
        `${err.message}. Nothing was sent again. The resource is recorded as pending reconcile ` +
          `(the request sent at ${unknown.sentAt}): the next \`pulumi up\` looks the order up through BSS ` +
          `again before anything is sent, and never orders twice blindly. BSS needs the permission ` +
          `bss:order:view.`,
      );
    }
    if (found.kind === "ambiguous") {
      throw pendingCreate(
        job,
        client,
        `${job.label}: the outcome of the order request sent at ${unknown.sentAt} is unknown, and BSS shows ` +
          `${found.candidates.length} orders that match it: ${found.candidates.map(describeCandidate).join("; ")}. ` +
          `Nothing was sent. Find the one this resource placed (Billing Center > Orders > My Orders) and set ` +
          `\`adoptOrderId\` to it, then run \`pulumi up\`; the resource is recorded as pending reconcile ` +
          `until then, and no order is placed for it`,
      );
    }
    if (found.kind === "not-placed") {
      return transition(unknown, { on: "not-placed", lookedFor: found.lookedFor });
    }
    job.run.ledger.held.add(found.orderId);
    await job.run.log.warn(
      `${job.label}: BSS shows order ${found.orderId} (created ${found.createdAt ?? "at an unknown time"}), ` +
        `matching ${found.compared}: this resource adopts it as the order its request placed; nothing ` +
        `was sent again`,
    );
    job.outs = newOrderOutputs(job, identity(client, found.orderId, unknown));
    return transition(unknown, { on: "found", orderId: found.orderId });
  },

  /** "not-placed" after the one resend. */
  sentTwice(job: PlaceJob): Error {
    return new Error(
      `${job.label}: BSS shows no ${lookedForOf(job)} after the order request was sent twice with ` +
        `an unknown outcome: nothing was ordered. Check the network and the endpoints, then run \`pulumi up\` again`,
    );
  },

  async sendingAgain(job: PlaceJob): Promise<void> {
    await job.run.log.tell(
      `${job.label}: BSS shows no ${lookedForOf(job)}, ${job.run.settings.orderReconcileSeconds} s ` +
        `after the request was sent: it was not placed; sending the order request again (once)`,
    );
  },
};

function lookedForOf(job: PlaceJob): string {
  return job.state.state === "not-placed" ? job.state.lookedFor : "such order";
}

async function lookUp(job: PlaceJob, client: HuaweiCloudClient, unknown: Unknown): Promise<Reconciled> {
  const knownId = requestOrderId(job.kind, job.parsed);
  // An order known by its id needs no code (messages name the known one); a search by window
  // lists by the looked-up code.
  const serviceType = knownId
    ? { code: job.run.serviceTypes.known(job.kind), others: [] }
    : await job.run.serviceTypes.codeOf(job.kind, client, client.settings.endpoints.bss);
  const look = () =>
    reconcileOrder({
      client,
      label: job.label,
      sentAt: new Date(unknown.sentAt),
      ...(knownId ? { orderId: knownId } : {}),
      serviceTypeCode: serviceType.code,
      otherServiceTypeCodes: serviceType.others,
      ...(knownId ? {} : { lines: expectedLines(job.kind, job.parsed) }),
      held: job.run.ledger.held,
      settleMs: job.run.settings.orderReconcileSeconds * 1000,
      pollMs: job.run.settings.orderPollIntervalSeconds * 1000,
      progress: (line) => job.run.log.tell(line),
      now: job.run.clock.now,
      sleep: job.run.clock.sleep,
    });
  // An order known by its id is nobody else's; a search by window runs one at a time (ledger).
  return knownId ? look() : job.run.ledger.reconciling(look);
}

function identity(client: HuaweiCloudClient, orderId: string, unknown: Unknown) {
  return {
    orderId,
    requestId: unknown.requestId,
    submittedAt: new Date(unknown.sentAt).toISOString(),
    region: client.settings.region,
    projectId: client.knownProjectId() ?? null,
    adopted: false,
  };
}

/** The resource saved as pending: the engine's partial create, recorded as "outcome-unknown". */
function pendingCreate(job: PlaceJob, client: HuaweiCloudClient, message: string): PartialCreate {
  const unknown = job.state as Unknown;
  const id =
    requestOrderId(job.kind, job.parsed) ?? `unknown-outcome-${unknown.sentAt.replace(/[^0-9]/g, "")}`;
  return new PartialCreate(
    id,
    {
      ...newOrderOutputs(job, identity(client, id, unknown)),
      unknownOutcome: { sentAt: unknown.sentAt, requestId: unknown.requestId, cause: unknown.cause },
      orderState: "outcome-unknown",
      __provider: job.extra["__provider"],
    },
    message,
  );
}
