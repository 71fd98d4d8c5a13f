// `signAutoPayAgreement`: Huawei pays a MetaStudio order that asks `isAutoPay` only when the account
// has signed MetaStudio's AUTO_PAY agreement; an auto-payment that fails leaves the order pending
// payment, to be paid by hand (the Go SDK's PublicCloudServiceOrder.is_auto_pay). Huawei's
// Terraform signs it before every order; here only when the resource opts in: a preview says so,
// and create signs before the order is sent (once per run and project), or fails with nothing
// ordered. Following an auto-pay order this run signed no agreement for stops early
// (provider/billing/follow-order.ts, `agreement`).
import type * as pulumi from "@pulumi/pulumi";
import { HuaweiCloudError, metastudioAgreements, type HuaweiCloudClient } from "../client";
import { SIGN_AGREEMENT_KEY } from "../contract/resource-keys";
import { inputsOf } from "../contract/resource-inputs";
import type { OrderKind } from "../orders/order-kind";
import { paysItself } from "../orders/order-items";
import { UNKNOWN } from "../orders/schema-kit";
import { named } from "../lifecycle/step";
import {
  message,
  type CheckJob,
  type DiffJob,
  type PlaceJob,
  type Props,
  type ResourceJob,
} from "../lifecycle/jobs";
import { checkResourceInputs } from "./inputs";

type CheckResult = pulumi.dynamic.CheckResult;
type DiffResult = pulumi.dynamic.DiffResult;

const AGREEMENT_INPUTS = inputsOf(SIGN_AGREEMENT_KEY);

/** Where an agreement holds: the service's endpoint and the project (project ids are unique). */
function agreementKey(client: HuaweiCloudClient, agreementType: string, projectId: string): string {
  return `${client.settings.endpoints.metastudio} ${projectId} ${agreementType}`;
}

/** Whether the resource signs its kind's agreement before ordering: it opts in and an item asks auto-pay. */
export function signsAgreement(kind: OrderKind, extra: Props, parsed: Props | undefined): boolean {
  if (!kind.autoPayAgreement || extra[SIGN_AGREEMENT_KEY] !== true || parsed === undefined) return false;
  return kind.items(parsed).some((item) => item.isAutoPay === true);
}

/**
 * For following an order that pays itself under its kind's agreement: the agreement's title and
 * whether this run signed it for the resource's project. Undefined when the kind has none or the
 * order does not pay itself.
 */
export async function agreementOf(
  job: ResourceJob,
  client: HuaweiCloudClient,
  parsed: Props,
): Promise<{ title: string; signed: boolean; optIn: string } | undefined> {
  const agreement = job.kind.autoPayAgreement;
  if (!agreement || !paysItself(job.kind, parsed)) return undefined;
  const { signed } = job.run.agreements;
  // Nothing signed in this run (a resumed follow, most often): no project to look up.
  const projectId = signed.size === 0 ? undefined : (client.knownProjectId() ?? (await client.projectId()));
  return {
    title: agreement.title,
    signed: projectId !== undefined && signed.has(agreementKey(client, agreement.agreementType, projectId)),
    optIn: `\`${SIGN_AGREEMENT_KEY}: true\``,
  };
}

export const autoPayAgreement = {
  /** A boolean, and only for kinds that have an agreement to sign. */
  check: named<CheckJob, CheckResult>(SIGN_AGREEMENT_KEY, (job) => {
    const value = job.extra[SIGN_AGREEMENT_KEY];
    if (value === undefined || value === UNKNOWN) return undefined;
    if (!job.kind.autoPayAgreement) {
      job.failures.push({
        property: SIGN_AGREEMENT_KEY,
        reason: `is not a field of ${job.kind.name}: its orders are paid with no agreement to sign`,
      });
      return undefined;
    }
    checkResourceInputs(job, AGREEMENT_INPUTS);
    return undefined;
  }),

  /** A new order that will sign: said at preview, in one line. */
  announce: named<CheckJob, CheckResult>("announce the agreement to sign", async (job) => {
    if (!signsAgreement(job.kind, job.extra, job.parsed)) return undefined;
    await job.line(job.run.log.tell(job.describe(signsLine(job.kind))));
    return undefined;
  }),

  /** A replacement that will sign: said with the replacement. */
  diff: named<DiffJob, DiffResult>("announce the agreement to sign for a replacement", async (job) => {
    if (job.changed.length === 0) return undefined;
    const parsed = job.kind.inputs.safeParse(job.order);
    if (!parsed.success || !signsAgreement(job.kind, job.extra, parsed.data as Props)) return undefined;
    await job.line(job.run.log.tell(job.describe(signsLine(job.kind))));
    return undefined;
  }),

  /** Before the order is sent: signed (once per run and project), or the create fails with nothing ordered. */
  create: named<PlaceJob, pulumi.dynamic.CreateResult>("sign the auto-pay agreement", async (job) => {
    if (!signsAgreement(job.kind, job.extra, job.parsed)) return undefined;
    await sign(job, job.client());
    return undefined;
  }),
};

function signsLine(kind: OrderKind): string {
  return `signs ${kind.autoPayAgreement?.title ?? "the auto-pay agreement"} before ordering (${SIGN_AGREEMENT_KEY})`;
}

/** Signs the kind's agreement unless this run already has for the project; throws naming the call. */
export async function sign(job: ResourceJob, client: HuaweiCloudClient): Promise<void> {
  const agreement = job.kind.autoPayAgreement;
  if (!agreement) return;
  const run = job.run.agreements;
  let key: string | undefined;
  try {
    key = agreementKey(client, agreement.agreementType, await client.projectId());
    let signing = run.signing.get(key);
    if (!signing) {
      signing = metastudioAgreements.signSpecialAgreement(client, agreement.agreementType);
      run.signing.set(key, signing);
    }
    const signed = await signing;
    run.signed.add(key);
    // An answer that does not say "signed" is taken as signed (Terraform reads no answer) but not
    // kept: the next order of the run signs again.
    if (!signed.saysSigned) run.signing.delete(key);
    await job.run.log.tell(
      job.describe(
        `signed ${agreement.title} (X-Request-Id ${signed.requestId ?? "(none)"}` +
          `${signed.signedVersion ? `, version ${signed.signedVersion}` : ""})`,
      ),
    );
  } catch (err) {
    if (key !== undefined) run.signing.delete(key);
    throw refusal(job, agreement.title, err);
  }
}

function refusal(job: ResourceJob, title: string, err: unknown): Error {
  const error = new Error(
    job.describe(
      `signing ${title} before ordering (${metastudioAgreements.SIGN_CALL}) failed: ${message(err)}. ` +
        `Nothing was ordered. Sign it in the Huawei Cloud console, or grant the credentials the right ` +
        `to sign it, then run again; to order without it, remove ${SIGN_AGREEMENT_KEY} (an order that asks ` +
        `isAutoPay then waits for payment by hand unless the account signed it)`,
    ),
  );
  if (err instanceof HuaweiCloudError) error.name = err.name;
  return error;
}
