// Before an order whose id only its answer gives (MetaStudio) is placed: did an earlier `pulumi up`
// of this stack begin creating this resource and get killed (docs/recovery.md "The engine interrupted while
// creating")? The evidence is the stack's own checkpoint: the pending create the engine keeps
// (run/checkpoint.ts), with the time check recorded in it when that attempt began. With evidence,
// BSS is searched in that attempt's window only (run/interrupted-creates.ts): one matching order
// no resource of this update holds is the attempt's, and the resource takes it without ordering;
// several stop the create, named; BSS unable to answer stops it. Without evidence nothing is looked
// at and nothing refused: another stack's identical order is not a leftover. A checkpoint that
// cannot be read falls back to the account's recent orders, with a warning (money first).
import type * as pulumi from "@pulumi/pulumi";
import type { HuaweiCloudClient } from "../client";
import { runSettingKey } from "../contract/run-settings";
import {
  ALLOW_IDENTICAL_KEY,
  ATTEMPT_MARKER_KEY,
  CONNECTION_KEY,
  RESOURCE_NAME_KEY,
} from "../contract/resource-keys";
import { describeCandidate } from "../billing/reconcile-order";
import type { IdenticalOrder } from "../billing/recent-orders";
import { expectedLines, orderIdInput } from "../orders/order-items";
import { orderTypeToken, pluginTypeToken } from "../orders/order-kind";
import { containsUnknown, UNKNOWN } from "../orders/schema-kit";
import { attemptWindows, takenWithoutAsking, type Window } from "../run/interrupted-creates";
import { checkResourceInputs } from "./inputs";
import { inputsOf } from "../contract/resource-inputs";
import { named } from "../lifecycle/step";
import { transition } from "../lifecycle/order-state";
import { newOrderOutputs } from "../lifecycle/outputs";
import { message, type CheckJob, type PlaceJob, type Props, type ResourceJob } from "../lifecycle/jobs";

type CheckResult = pulumi.dynamic.CheckResult;

/** How long the engine shows no resource before the program counts as done declaring (OrderLedger.quiet). */
const DECLARED_TOGETHER_MS = 1000;

const GUARD_INPUTS = inputsOf(ALLOW_IDENTICAL_KEY);

/** What the guard looks at for one resource. */
type Evidence =
  | { kind: "none" }
  /** Earlier attempts of this resource, each with the window its order reached BSS in. */
  | { kind: "attempts"; windows: Window[] }
  /** The checkpoint could not be read: the account's recent orders, as before evidence was read. */
  | { kind: "fallback"; reason: string; windowMinutes: number };

export const duplicateGuard = {
  /** allowRecentIdenticalOrder: a boolean, for kinds whose order id comes from the answer only. */
  check: named<CheckJob, CheckResult>("allowRecentIdenticalOrder", (job) => {
    const value = job.extra[ALLOW_IDENTICAL_KEY];
    if (value === undefined || value === UNKNOWN) return undefined;
    if (job.kind.orderId.in === "request") {
      job.failures.push({
        property: ALLOW_IDENTICAL_KEY,
        reason:
          `is not a field of ${job.kind.name}: its order is named by ${orderIdInput(job.kind) ?? "its id"}, ` +
          "and an order id is never accepted twice",
      });
      return undefined;
    }
    checkResourceInputs(job, GUARD_INPUTS);
    return undefined;
  }),

  /**
   * A new resource outside a preview records when this create attempt began: a killed run leaves
   * it in its pending create, for the next run to know when to look. The checkpoint's read starts.
   */
  mark: named<CheckJob, CheckResult>("record when the create attempt began", (job) => {
    if (!guarded(job) || job.programDryRun === true) return undefined;
    job.inputs = { ...job.inputs, [ATTEMPT_MARKER_KEY]: new Date(job.run.clock.now()).toISOString() };
    void job.run.checkpoint();
    return undefined;
  }),

  /**
   * At check an earlier attempt's order is told as a warning, so a preview shows it before anything
   * is bought. Check cannot decide: a resource the program declares after this one, which may
   * hold the order, has not been shown yet; create decides.
   */
  preview: named<CheckJob, CheckResult>("look for an interrupted create's order", (job) => {
    job.together.push(previewLook(job));
    return undefined;
  }),

  /**
   * At create: an earlier attempt's one order is taken, several (or no answer from BSS) stop the
   * create before its order is sent.
   */
  create: named<PlaceJob, pulumi.dynamic.CreateResult>(
    "take or stop an interrupted create's order",
    async (job) => {
      if (!guarded(job)) return undefined;
      const client = job.client();
      const evidence = await evidenceOf(job, client);
      if (evidence.kind === "none") return undefined;
      let found: IdenticalOrder[];
      try {
        found = await identicalOrders(job, client, job.parsed, evidence, true);
      } catch (err) {
        throw new Error(
          job.describe(`${notLooked(evidence, err)}. Nothing was ordered. ${unlessLooked(evidence)}`),
        );
      }
      if (evidence.kind === "fallback") {
        if (found.length === 0) return undefined;
        throw new Error(
          job.describe(
            `${fallbackFinding(found, "no resource of this update holds", evidence)}. Nothing was ordered`,
          ),
        );
      }
      if (found.length === 0) return undefined;
      const [only] = found;
      if (found.length === 1 && only && takenWithoutAsking(only.createdAt, evidence.windows)) {
        return take(job, client, only, evidence.windows);
      }
      throw new Error(job.describe(`${attemptFinding(found, evidence.windows)}. Nothing was ordered`));
    },
  ),
};

/** Only a kind whose order id comes from the answer, and unless the program buys one more on purpose. */
function guarded(job: ResourceJob): boolean {
  return job.kind.orderId.in === "answer" && job.extra[ALLOW_IDENTICAL_KEY] !== true;
}

/** The type the checkpoint records this resource under: the dynamic resource's, or the plugin's. */
function ownTypeToken(job: ResourceJob): string {
  return job.run.host === "plugin" ? pluginTypeToken(job.kind.name) : orderTypeToken(job.kind.name);
}

/** The evidence for this resource: its earlier attempts in the checkpoint, or the fallback. */
async function evidenceOf(job: ResourceJob, client: HuaweiCloudClient): Promise<Evidence> {
  const read = await job.run.checkpoint();
  const settings = job.run.settings;
  const windowMinutes: number = settings.duplicateOrderWindowMinutes;
  if (!read.ok) {
    await job.run.warnOnce(
      `the stack's checkpoint could not be read for creates an earlier run left unfinished (${read.reason}); ` +
        (windowMinutes === 0
          ? `${runSettingKey("duplicateOrderWindowMinutes")} is 0, so a new ${job.kind.name} is ordered without a look`
          : `before a new ${job.kind.name} is ordered, the account's new orders of the last ${windowMinutes} ` +
            `minutes (${runSettingKey("duplicateOrderWindowMinutes")}) are searched instead, and an identical one ` +
            "no resource of this update holds stops the create"),
    );
    if (windowMinutes === 0) return { kind: "none" };
    return { kind: "fallback", reason: read.reason, windowMinutes };
  }
  const name = job.extra[RESOURCE_NAME_KEY];
  const windows = attemptWindows(
    read.pending,
    { type: ownTypeToken(job), name: typeof name === "string" ? name : "" },
    job.run.startedAt,
    {
      maxAttempts: client.settings.retry.maxAttempts,
      maxWaitMs: client.settings.retry.maxWaitMs,
      connectMs: client.settings.timeouts.connectMs,
      responseMs: client.settings.timeouts.responseMs,
      reconcileMs: settings.orderReconcileSeconds * 1000,
      unmarkedWindowMinutes: windowMinutes,
    },
  );
  return windows.length === 0 ? { kind: "none" } : { kind: "attempts", windows };
}

async function previewLook(job: CheckJob): Promise<void> {
  const parsed = job.parsed;
  if (!guarded(job) || !parsed || containsUnknown(parsed) || containsUnknown(job.extra[CONNECTION_KEY])) {
    return;
  }
  let client: HuaweiCloudClient;
  try {
    client = job.run.client(job.clientSettings());
  } catch {
    return; // no credentials at preview: create looks
  }
  const evidence = await evidenceOf(job, client);
  if (evidence.kind === "none") return;
  try {
    const found = await identicalOrders(job, client, parsed, evidence, false);
    if (found.length === 0) return;
    const finding =
      evidence.kind === "fallback"
        ? `${fallbackFinding(found, "no resource of the stack shown so far holds", evidence)}. Unless a resource ` +
          "declared after this one holds it, `pulumi up` stops this create before its order is sent"
        : `${attemptFinding(found, evidence.windows)}. ` +
          (found.length === 1 && takenWithoutAsking(found[0]?.createdAt, evidence.windows)
            ? "Unless a resource declared after this one holds it, `pulumi up` takes it and orders nothing"
            : "`pulumi up` stops this create before its order is sent");
    await job.line(job.run.log.warn(job.describe(finding)));
  } catch (err) {
    await job.line(
      job.run.log.warn(
        job.describe(
          `${notLooked(evidence, err)}; create looks again before ordering, and orders nothing without an answer`,
        ),
      ),
    );
  }
}

/** Orders with the same line items that no resource of this run holds, in the evidence's windows. */
async function identicalOrders(
  job: ResourceJob,
  client: HuaweiCloudClient,
  parsed: Props,
  evidence: Exclude<Evidence, { kind: "none" }>,
  settle: boolean,
): Promise<IdenticalOrder[]> {
  const serviceType = await job.run.serviceTypes.codeOf(job.kind, client, client.settings.endpoints.bss);
  const base = {
    client,
    account: [client.settings.endpoints.bss, client.settings.domainId, client.settings.credentials],
    serviceTypeCode: serviceType.code,
    otherServiceTypeCodes: serviceType.others,
    lines: expectedLines(job.kind, parsed),
    held: job.run.ledger.held,
  };
  const look = async () => {
    if (evidence.kind === "fallback") {
      return job.run.recent.identical({ ...base, windowMinutes: evidence.windowMinutes });
    }
    const found = new Map<string, IdenticalOrder>();
    for (const w of evidence.windows) {
      const listed = await job.run.recent.identical({ ...base, windowMinutes: 0, window: w });
      for (const order of listed) found.set(order.orderId, order);
    }
    return [...found.values()];
  };
  const found = await look();
  if (found.length === 0 || !settle) return found;
  // One of the stack's resources the program declares after this one may hold it: the engine
  // shows it to diff while this create runs. Looked at again (from what was read) once it has.
  await job.run.ledger.quiet(DECLARED_TOGETHER_MS, 10 * DECLARED_TOGETHER_MS);
  if (evidence.kind === "fallback") return look();
  // One at a time, after the run's order requests in flight: two resources never take one order.
  return job.run.ledger.reconciling(async () => {
    const again = await look();
    if (again.length === 1) job.run.ledger.held.add((again[0] as IdenticalOrder).orderId);
    return again;
  });
}

/** The one order an interrupted attempt placed: the resource takes it, and sends nothing. */
async function take(
  job: PlaceJob,
  client: HuaweiCloudClient,
  order: IdenticalOrder,
  windows: Window[],
): Promise<undefined> {
  await job.run.log.warn(
    job.describe(
      `${attemptFinding([order], windows)}: this resource takes it as the order that create placed; nothing ` +
        "was sent. `pulumi refresh --clear-pending-creates` clears the pending create the engine keeps warning of",
    ),
  );
  job.state = transition(job.state, { on: "adopt", orderId: order.orderId });
  job.outs = newOrderOutputs(job, {
    orderId: order.orderId,
    requestId: null,
    submittedAt: order.createdAt,
    region: client.settings.region,
    projectId: client.knownProjectId() ?? client.settings.projectId ?? null,
    adopted: true,
  });
  return undefined;
}

/** What an earlier attempt left, and what the operator does about several. */
function attemptFinding(found: IdenticalOrder[], windows: Window[]): string {
  const first = (found[0] as IdenticalOrder).orderId;
  const what =
    `the stack's checkpoint holds a create of this resource that an earlier run began and never finished ` +
    `(${windows.map((w) => w.why).join("; ")}), and BSS shows ` +
    `${found.length === 1 ? "one order" : `${found.length} orders`} with the same line items, created then, ` +
    `that no resource of this update holds: ${found.map((c) => `${describeCandidate(c)}, matching ${c.compared}`).join("; ")}`;
  if (found.length === 1 && takenWithoutAsking(found[0]?.createdAt, windows)) return what;
  const why =
    found.length === 1
      ? `. It was created after the interrupted create's first request could have reached BSS, so it may as well ` +
        `be another stack's or the console's: if it is this resource's, set \`adoptOrderId: "${first}"\` and run ` +
        `\`pulumi up\`; if not, set \`${ALLOW_IDENTICAL_KEY}: true\` to order one more`
      : "";
  if (why) return `${what}${why}`;
  return (
    `${what}. Find the one that create placed (Billing Center > Orders > My Orders), set ` +
    `\`adoptOrderId\` to it (e.g. \`adoptOrderId: "${first}"\`) and run \`pulumi up\`; if none is, set ` +
    `\`${ALLOW_IDENTICAL_KEY}: true\` to order one more`
  );
}

/** What the account-wide fallback found, and what the operator does about it. */
function fallbackFinding(
  found: IdenticalOrder[],
  holder: string,
  evidence: Extract<Evidence, { kind: "fallback" }>,
): string {
  const first = (found[0] as IdenticalOrder).orderId;
  return (
    `BSS shows ${found.length === 1 ? "a recent order" : `${found.length} recent orders`} with the same line items ` +
    `that ${holder}: ${found.map((c) => `${describeCandidate(c)}, matching ${c.compared}`).join("; ")}. ` +
    `A \`pulumi up\` killed while creating this resource places such an order and leaves the engine only a pending ` +
    `create ("interrupted while creating"), and the stack's checkpoint, which tells, could not be read ` +
    `(${evidence.reason}): if it is this resource's, set \`adoptOrderId: "${first}"\` and run ` +
    `\`pulumi up\`; the resource takes it and nothing is ordered. If it belongs elsewhere (another stack, the console) ` +
    `and this resource is to buy one more, set \`${ALLOW_IDENTICAL_KEY}: true\`. Looked at new orders of the last ` +
    `${evidence.windowMinutes} minutes (${runSettingKey("duplicateOrderWindowMinutes")})`
  );
}

function notLooked(evidence: Exclude<Evidence, { kind: "none" }>, err: unknown): string {
  const what =
    evidence.kind === "fallback"
      ? "a recent identical order"
      : "the order a create of this resource that an earlier run never finished may have placed";
  return `could not look through BSS for ${what}: ${message(err)}`;
}

function unlessLooked(evidence: Exclude<Evidence, { kind: "none" }>): string {
  const clear =
    evidence.kind === "attempts"
      ? ", or, if that create placed nothing, clear its pending create (`pulumi refresh --clear-pending-creates`)"
      : ` or ${runSettingKey("duplicateOrderWindowMinutes")} to 0`;
  return `The look needs the permission bss:order:view; to order without it, set \`${ALLOW_IDENTICAL_KEY}: true\`${clear}`;
}
