// Before an order whose id only its answer gives (MetaStudio) is placed: the account's recent
// orders with the same line items that no resource of this update holds (a `pulumi up` killed
// while creating leaves such an order and only a pending create). A preview warns; create stops
// before the order is sent. The BSS side is in provider/billing/recent-orders.ts.
import type * as pulumi from "@pulumi/pulumi";
import type { HuaweiCloudClient } from "../client";
import { runSettingKey } from "../contract/run-settings";
import { ALLOW_IDENTICAL_KEY, CONNECTION_KEY } from "../contract/resource-keys";
import { describeCandidate } from "../billing/reconcile-order";
import type { IdenticalOrder } from "../billing/recent-orders";
import { expectedLines, orderIdInput } from "../orders/order-items";
import { containsUnknown, UNKNOWN } from "../orders/schema-kit";
import { checkResourceInputs } from "./inputs";
import { inputsOf } from "../contract/resource-inputs";
import { named } from "../lifecycle/step";
import { message, type CheckJob, type PlaceJob, type Props, type ResourceJob } from "../lifecycle/jobs";

type CheckResult = pulumi.dynamic.CheckResult;

/** How long the engine shows no resource before the program counts as done declaring (OrderLedger.quiet). */
const DECLARED_TOGETHER_MS = 1000;

const GUARD_INPUTS = inputsOf(ALLOW_IDENTICAL_KEY);

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
   * At check a recent identical order is told as a warning, so a preview shows it before anything
   * is bought. Check cannot decide: the engine checks one resource at a time, in the order the
   * program declares them, so a resource declared after this one, which may hold the order, has not
   * been shown yet; create decides.
   */
  preview: named<CheckJob, CheckResult>("look for a recent identical order", (job) => {
    job.together.push(previewLook(job));
    return undefined;
  }),

  /** At create: a recent identical order, or no answer from BSS, stops it before the order is sent. */
  create: named<PlaceJob, pulumi.dynamic.CreateResult>("stop a recent identical order", async (job) => {
    const windowMinutes = guardWindow(job);
    if (windowMinutes === 0) return undefined;
    let found: IdenticalOrder[];
    try {
      found = await identicalOrders(job, job.client(), job.parsed, windowMinutes, true);
    } catch (err) {
      throw new Error(
        job.describe(
          `could not look for a recent identical order through BSS before ordering: ${message(err)}. ` +
            `Nothing was ordered. The look needs the permission bss:order:view; to order without it, set ` +
            `\`${ALLOW_IDENTICAL_KEY}: true\` or ${runSettingKey("duplicateOrderWindowMinutes")} to 0`,
        ),
      );
    }
    if (found.length > 0) {
      throw new Error(
        job.describe(
          `${finding(found, "no resource of this update holds", windowMinutes)}. Nothing was ordered`,
        ),
      );
    }
    return undefined;
  }),
};

/** The guard's window in minutes; 0 when this resource or kind has none. */
function guardWindow(job: ResourceJob): number {
  if (job.kind.orderId.in === "request" || job.extra[ALLOW_IDENTICAL_KEY] === true) return 0;
  return job.run.settings.duplicateOrderWindowMinutes;
}

async function previewLook(job: CheckJob): Promise<void> {
  const windowMinutes = guardWindow(job);
  const parsed = job.parsed;
  if (
    windowMinutes === 0 ||
    !parsed ||
    containsUnknown(parsed) ||
    containsUnknown(job.extra[CONNECTION_KEY])
  ) {
    return;
  }
  let client: HuaweiCloudClient;
  try {
    client = job.run.client(job.clientSettings());
  } catch {
    return; // no credentials at preview: create looks
  }
  try {
    const found = await identicalOrders(job, client, parsed, windowMinutes, false);
    if (found.length === 0) return;
    await job.line(
      job.run.log.warn(
        job.describe(
          `${finding(found, "no resource of the stack shown so far holds", windowMinutes)}. Unless a ` +
            "resource declared after this one holds it, `pulumi up` stops this create before its order is sent",
        ),
      ),
    );
  } catch (err) {
    await job.line(
      job.run.log.warn(
        job.describe(
          `could not look for a recent identical order through BSS (${message(err)}); ` +
            "create looks again before ordering, and orders nothing without an answer",
        ),
      ),
    );
  }
}

/** The account's recent orders with the same line items that no resource of this run holds. */
async function identicalOrders(
  job: ResourceJob,
  client: HuaweiCloudClient,
  parsed: Props,
  windowMinutes: number,
  settle: boolean,
): Promise<IdenticalOrder[]> {
  const serviceType = await job.run.serviceTypes.codeOf(job.kind, client, client.settings.endpoints.bss);
  const look = () =>
    job.run.recent.identical({
      client,
      account: [client.settings.endpoints.bss, client.settings.domainId, client.settings.credentials],
      serviceTypeCode: serviceType.code,
      otherServiceTypeCodes: serviceType.others,
      lines: expectedLines(job.kind, parsed),
      windowMinutes,
      held: job.run.ledger.held,
    });
  const found = await look();
  if (found.length === 0 || !settle) return found;
  // One of the stack's resources the program declares after this one may hold it: the engine
  // shows it to diff while this create runs. Looked at again (from what was read) once it has.
  await job.run.ledger.quiet(DECLARED_TOGETHER_MS, 10 * DECLARED_TOGETHER_MS);
  return look();
}

/** What the guard found, and what the operator does about it. */
function finding(found: IdenticalOrder[], holder: string, windowMinutes: number): string {
  const first = (found[0] as IdenticalOrder).orderId;
  return (
    `BSS shows ${found.length === 1 ? "a recent order" : `${found.length} recent orders`} with the same line items ` +
    `that ${holder}: ${found.map((c) => `${describeCandidate(c)}, matching ${c.compared}`).join("; ")}. ` +
    `A \`pulumi up\` killed while creating this resource places such an order and leaves the engine only a pending ` +
    `create ("interrupted while creating"): if it is this resource's, set \`adoptOrderId: "${first}"\` and run ` +
    `\`pulumi up\`; the resource takes it and nothing is ordered. If it belongs elsewhere (another stack, the console) ` +
    `and this resource is to buy one more, set \`${ALLOW_IDENTICAL_KEY}: true\`. Looked at new orders of the last ` +
    `${windowMinutes} minutes (${runSettingKey("duplicateOrderWindowMinutes")})`
  );
}
