// Validation of what the program declared: the order's fields (with property paths, at check),
// the inputs no program sets, and the run's settings. At create and update the order's fields are
// parsed again (defaults filled in) before anything is sent.
import type { z } from "zod";
import { MISNAMED_RESOURCE_NAME_KEY, PREVIEW_PRICE_KEY, RESOURCE_NAME_KEY } from "../contract/resource-keys";
import type { ResourceInputKey } from "../contract/resource-inputs";
import { checkInputs, UNKNOWN } from "../orders/schema-kit";
import { named } from "../lifecycle/step";
import { isProps, toPulumiFailure, type CheckJob, type DiffJob, type PlaceJob } from "../lifecycle/jobs";
import { DECLARED_KEY } from "../contract/recorded-outputs";
import { changedOrderFields } from "../orders/changes";
import type * as pulumi from "@pulumi/pulumi";

type CheckResult = pulumi.dynamic.CheckResult;

/**
 * Checks the resource inputs a step owns, with their part of the one schema
 * (contract/resource-inputs.ts, `inputsOf`): made once per step, when its module loads, since
 * every schema zod builds is compiled at its first parse.
 */
export function checkResourceInputs(job: CheckJob, schema: z.ZodObject): void {
  const keys = Object.keys(schema.shape) as ResourceInputKey[];
  const picked = Object.fromEntries(
    keys.filter((k) => job.extra[k] !== undefined && job.extra[k] !== UNKNOWN).map((k) => [k, job.extra[k]]),
  );
  const result = checkInputs(schema, picked);
  if (!result.ok) job.failures.push(...result.failures.map(toPulumiFailure));
}

export const inputs = {
  /** The program says whether it previews: an update is known from its first check on. */
  phase: named<CheckJob, CheckResult>("preview or update, as the program says", (job) => {
    if (job.programDryRun === false) job.run.markUpdate();
    return undefined;
  }),

  /** A program's own `resourceName` argument, which the resource's name would otherwise overwrite. */
  check: named<CheckJob, CheckResult>("no misnamed resourceName", (job) => {
    if (MISNAMED_RESOURCE_NAME_KEY in job.extra) {
      job.failures.push({ property: RESOURCE_NAME_KEY, reason: "is not a field of this resource" });
    }
    return undefined;
  }),

  /** previewPrice is the provider's record of BSS's quote, never a program's. */
  checkNotProvided: named<CheckJob, CheckResult>("previewPrice is the provider's", (job) => {
    if (PREVIEW_PRICE_KEY in job.extra) {
      job.failures.push({
        property: PREVIEW_PRICE_KEY,
        reason: "is recorded by the provider at preview (the price BSS quotes), never set by a program",
      });
    }
    return undefined;
  }),

  /** A malformed run setting fails every resource's preview, naming the setting. */
  checkRunSettings: named<CheckJob, CheckResult>("run settings", (job) => {
    job.failures.push(...job.run.settingProblems.map((reason) => ({ property: "", reason })));
    return undefined;
  }),

  /** Nothing more is checked, announced or asked for inputs that fail. */
  stopOnFailures: named<CheckJob, CheckResult>("stop on failures", (job) =>
    job.failures.length > 0 ? { inputs: job.inputs, failures: job.failures } : undefined,
  ),

  /** Resources already in the stack, whose order does not change, buy nothing at check. */
  endUnlessNew: named<CheckJob, CheckResult>("held resources end here", (job) =>
    job.isNew ? undefined : { inputs: job.inputs },
  ),

  /** The last step of check: what went out together has come back. */
  together: named<CheckJob, CheckResult>("wait for what went out together", async (job) => {
    await Promise.all(job.together);
    return job.failures.length > 0 ? { inputs: job.inputs, failures: job.failures } : { inputs: job.inputs };
  }),

  /** The order fields the program's declaration changes: what the rest of diff decides on. */
  diff: named<DiffJob, pulumi.dynamic.DiffResult>("what changed", (job) => {
    const declared = job.olds[DECLARED_KEY];
    job.changed = changedOrderFields(
      job.kind.inputs,
      { declared: isProps(declared) ? declared : undefined, effective: job.olds },
      job.order,
    );
    return undefined;
  }),

  /** The engine never calls create at preview (the host declares no preview support): an update. */
  markUpdate: named<PlaceJob, never>("the run serves an update", (job) => {
    job.run.markUpdate();
    return undefined;
  }),

  /** At create and update: the order's fields parsed again (defaults filled in) before anything is sent. */
  parse: named<PlaceJob, never>("parse the order's fields", (job) => {
    job.parsed = job.parsedOrder();
    return undefined;
  }),
};
