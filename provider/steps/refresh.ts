// Refresh reads the order's truth through BSS (status, payment, resources, expiry, and what became
// of its subscription outside Pulumi: provider/billing/refresh-order.ts). It never drops the order
// from the stack: a gone, expired or frozen subscription is kept and marked, with a warning saying
// what to do; when BSS cannot be read, the state is kept as it was, with a warning naming the
// cause. It only reads: nothing is bought, paid or unsubscribed.
import type * as pulumi from "@pulumi/pulumi";
import type { HuaweiCloudClient } from "../client";
import { recordedFollow } from "../contract/recorded-outputs";
import { refreshOrder } from "../billing/refresh-order";
import { named } from "../lifecycle/step";
import { message, type HeldJob } from "../lifecycle/jobs";

type ReadResult = pulumi.dynamic.ReadResult;

export const refresh = {
  read: named<HeldJob, ReadResult>("read the order through BSS", async (job) => {
    const { id, olds: props } = job;
    const orderId = job.recorded.orderId;
    const kept = async (why: string): Promise<ReadResult> => {
      const recorded = props["subscriptionCheckedAt"];
      await job.run.log.warn(
        `${job.recordedLabel}: refresh could not read order ${orderId} through BSS: ${why}. The resource is kept as last recorded ` +
          `(subscriptionStatus "${String(props["subscriptionStatus"] ?? "unknown")}", last read ` +
          `${typeof recorded === "string" ? recorded : "never"}); nothing was bought, paid or unsubscribed. ` +
          `Fix the cause (a 403 names the permission the credentials need) and run \`pulumi refresh\` again`,
      );
      return { id, props };
    };
    let client: HuaweiCloudClient;
    try {
      client = job.run.client(job.clientSettings());
    } catch (err) {
      return kept(`no usable settings (${message(err)})`);
    }
    try {
      const { outputs, finding } = await refreshOrder({ client, orderId, recorded: recordedFollow(props) });
      if (finding) await job.run.log.warn(`${job.recordedLabel}: ${finding}`);
      return { id, props: { ...props, ...outputs } };
    } catch (err) {
      return kept(message(err));
    }
  }),
};
