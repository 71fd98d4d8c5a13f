import * as assert from "node:assert/strict";
import type * as pulumi from "@pulumi/pulumi";
import { OrderProvider, ORDER_KINDS, RunContext } from "../../provider";
import type { CheckJob } from "../../provider/lifecycle/jobs";
import { PHASES } from "../../provider/phases/phases";
import { named } from "../../provider/lifecycle/step";

const names = (steps: readonly { name: string }[]) => steps.map((s) => s.name);

// The lifecycle as the provider runs it: each phase an ordered list of named steps
// (provider/phases/phases.ts). Read top to bottom, this is what every order resource goes through.
describe("the provider's phases, step by step", function () {
  it("check validates everything first, then a new order is announced, guarded and priced together", function () {
    assert.deepEqual(names(PHASES.check), [
      "preview or update, as the program says",
      "the program is still declaring",
      "no misnamed resourceName",
      "connection settings",
      "adoptOrderId",
      "waitUntil, waitTimeoutSeconds, autoPay",
      "onDestroy",
      "priceInquiry",
      "allowRecentIdenticalOrder",
      "signAutoPayAgreement",
      "previewPrice is the provider's",
      "run settings",
      "stop on failures",
      "held resources end here",
      "announce the adoption",
      "announce the agreement to sign",
      "record when the create attempt began",
      "count and announce the new order",
      "look for an interrupted create's order",
      "quote the new order",
      "wait for what went out together",
    ]);
  });

  it("diff settles a pending request first; no change follows further or records destroy; a change replaces", function () {
    assert.deepEqual(names(PHASES.diff), [
      "hold the recorded order",
      "what changed",
      "a pending request is settled first",
      "follow further",
      "record what destroy does",
      "same order id, other parameters",
      "adoptOrderId still names the held order",
      "announce the agreement to sign for a replacement",
      "count and announce the replacement",
    ]);
  });

  it("create adopts, or guards, places and follows; update settles and resumes", function () {
    assert.deepEqual(names(PHASES.create), [
      "the run serves an update",
      "parse the order's fields",
      "adopt the named order",
      "take or stop an interrupted create's order",
      "sign the auto-pay agreement",
      "place the order",
      "follow the order",
    ]);
    assert.deepEqual(names(PHASES.update), [
      "hold the recorded order",
      "parse the order's fields",
      "settle a pending request",
      "settle and place a pending request",
      "resume following",
    ]);
  });

  it("read and delete ask the recorded state before they read or unsubscribe", function () {
    assert.deepEqual(names(PHASES.read), [
      "hold the recorded order",
      "a pending request is kept as it is",
      "read the order through BSS",
    ]);
    assert.deepEqual(names(PHASES.delete), [
      "hold the recorded order",
      "a pending request has no order to unsubscribe",
      "unsubscribe or keep the order",
    ]);
  });

  // CONTRIBUTING.md "Adding a lifecycle step", walked through: a feature's step, and its line in a phase.
  describe("adding a step", function () {
    // 1. The feature's file: a step with its message (here, a team's own rule on order names).
    const namingRule = named<CheckJob, pulumi.dynamic.CheckResult>("resource names carry the team", (job) => {
      const name = String(job.extra["resourceName"] ?? "");
      if (!name.startsWith("team-")) {
        job.failures.push({ property: "resourceName", reason: `${name} must start with "team-"` });
      }
      return undefined;
    });
    // 2. Its line in the phase: before check stops on failures, so a preview names it with the rest.
    const stop = PHASES.check.findIndex((s) => s.name === "stop on failures");
    const phases = {
      ...PHASES,
      check: [...PHASES.check.slice(0, stop), namingRule, ...PHASES.check.slice(stop)],
    };

    let saved: NodeJS.ProcessEnv;
    beforeEach(function () {
      saved = process.env;
      process.env = { ...saved, HW_REGION_NAME: "cn-north-4", HW_AUTH_TOKEN: "token-000001" };
    });
    afterEach(function () {
      process.env = saved;
    });

    it("runs where its line puts it, beside the built-in steps, and names its property at preview", async function () {
      const provider = new OrderProvider(ORDER_KINDS.DisPackageOrder, new RunContext(), phases);
      const refused = await provider.check({}, { orderId: "CS-1", resourceName: "pkg" });
      assert.deepEqual(refused.failures, [
        { property: "orderId", reason: "orderId may contain only letters and digits" },
        { property: "resourceName", reason: 'pkg must start with "team-"' },
      ]);
      const accepted = await provider.check(
        {},
        { orderId: "CS1", resourceName: "team-pkg", adoptOrderId: "CS1" },
      );
      assert.equal(accepted.failures, undefined);
    });
  });
});
