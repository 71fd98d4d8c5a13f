// The settings a resource will use, checked at preview without the network, from its connection
// input, the stack's configuration and the HW_* environment. A region and credentials are
// required only when the resource may place an order: it is new or its order changed, and it
// adopts none. Values still unknown at preview are checked at `up`.
import type * as pulumi from "@pulumi/pulumi";
import { oldNamesInUse, SETTING_LAYERS } from "../client";
import { ADOPT_KEY, CONNECTION_KEY } from "../contract/resource-keys";
import { changedOrderFields } from "../orders/changes";
import { containsUnknown, UNKNOWN } from "../orders/schema-kit";
import { isProps, split, type CheckJob, type Props } from "../lifecycle/jobs";
import { named } from "../lifecycle/step";

export const settings = {
  check: named<CheckJob, pulumi.dynamic.CheckResult>("connection settings", async (job) => {
    const connection = job.extra[CONNECTION_KEY];
    if (connection === UNKNOWN) return undefined;
    if (connection !== undefined && !isProps(connection)) {
      job.failures.push({
        property: CONNECTION_KEY,
        reason: "connection must be an object of settings (README, Configuration)",
      });
      return undefined;
    }
    const given = Object.entries((connection ?? {}) as Props);
    const known = Object.fromEntries(given.filter(([, v]) => !containsUnknown(v)));
    const problems = job.run.connectionProblems(known, {
      credentials: placesOrder(job) && given.length === Object.keys(known).length,
      projectInPath: job.kind.projectInPath,
    });
    // An old connection key still works this release: said once per run, whichever resource has it.
    for (const { old, now } of oldNamesInUse({ explicit: known })) {
      await job.run.warnOnce(
        `${old} is the previous release's name of ${now}, read in this release only: rename it`,
      );
    }
    job.failures.push(
      ...problems.map((p) =>
        p.layer === "connection"
          ? { property: `${CONNECTION_KEY}.${p.at ?? p.key}`, reason: p.reason }
          : { property: "", reason: p.layer ? `${p.reason} (from ${SETTING_LAYERS[p.layer]})` : p.reason },
      ),
    );
    return undefined;
  }),
};

/** Whether the resource may place an order: it is new or its order changed, and it adopts none. */
function placesOrder(job: CheckJob): boolean {
  if (job.extra[ADOPT_KEY] !== undefined) return false;
  const held = split(job.olds).order;
  return (
    Object.keys(held).length === 0 ||
    job.parsed === undefined ||
    changedOrderFields(job.kind.inputs, { declared: held, effective: held }, job.order).length > 0
  );
}
