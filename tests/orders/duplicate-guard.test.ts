import * as assert from "node:assert/strict";
import { DEMO_ACCOUNT, type RunningEmulator } from "../../emulator";
import { OrderProvider, ORDER_KINDS, RunContext } from "../../provider";
import type { CheckpointRead } from "../../provider/run/checkpoint";
import { METASTUDIO_PATH, metastudioOrderBody, send, useEmulator } from "../emulator/helpers";

const d = DEMO_ACCOUNT;
const TYPE = "pulumi-nodejs:dynamic/huaweicloud:MetaStudioSubscription";

// The duplicate guard's outcomes once the evidence is known (docs/recovery.md "The engine interrupted while
// creating"), in one provider process against the emulator, the checkpoint given by the test:
// several orders of an interrupted attempt, BSS unable to answer, a checkpoint that cannot be
// read, and allowRecentIdenticalOrder. Counted: the MetaStudio order requests the emulator got.
// (Taking the one order of an interrupted attempt, and no evidence at all, run through the engine:
// tests/engine/reconcile.test.ts and accidental-orders.test.ts.)
describe("the duplicate guard's outcomes (duplicate-guard)", function () {
  const emulator = useEmulator();
  let emu: RunningEmulator;
  beforeEach(function () {
    emu = emulator();
  });

  const product = {
    periodType: 2,
    periodNum: 1,
    subscriptionNum: 3,
    resourceSpecCode: "hws.resource.type.metastudio.modeling.avatarlive.channel",
  };
  const news = (extra: Record<string, unknown> = {}) => ({
    cloudServices: [product],
    resourceName: "avatar",
    waitUntil: "submitted",
    __dryRun: false,
    __stack: "organization/app/dev",
    ...extra,
  });
  /** A killed attempt of this resource, begun `minutesAgo` minutes ago. */
  const killedAttempt = (minutesAgo = 1): CheckpointRead => ({
    ok: true,
    heldDynamic: [],
    pending: [
      {
        urn: `urn:pulumi:dev::app::${TYPE}::avatar`,
        type: TYPE,
        inputs: {
          resourceName: "avatar",
          __createAttemptAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
        },
      },
    ],
  });

  async function provider(
    checkpoint: CheckpointRead,
    extraConfig: Record<string, string> = {},
  ): Promise<{ p: OrderProvider; stacks: string[] }> {
    const stacks: string[] = [];
    const config: Record<string, string> = {
      ...extraConfig,
      "huaweicloud:region": d.region,
      "huaweicloud:projectId": d.projectId,
      "huaweicloud:domainId": d.domainId,
      "huaweicloud:authUrl": emu.url,
      "huaweicloud:endpoints": JSON.stringify({ bss: emu.url, metastudio: emu.url }),
      "huaweicloud:accessKey": d.accessKey,
      "huaweicloud:secretKey": d.secretKey,
      "huaweicloud-orders:maxRetries": "0",
    };
    // The real clock, except that waits end at once: the guard's wait for the rest of the
    // program's resources (a second each) has no other resource to wait for here.
    let skipped = 0;
    const run = new RunContext({
      clock: {
        now: () => Date.now() + skipped,
        sleep: async (ms) => void (skipped += ms),
      },
      readCheckpoint: (source) => {
        stacks.push(source.stack);
        return Promise.resolve(checkpoint);
      },
    });
    const p = new OrderProvider(ORDER_KINDS.MetaStudioSubscription, run);
    await p.configure({ config: { get: (k: string) => config[k] } } as never);
    return { p, stacks };
  }

  async function outsideOrder(): Promise<string> {
    const answer = await send(emu.url, {
      path: METASTUDIO_PATH,
      headers: { "X-Auth-Token": emu.issueToken() },
      json: metastudioOrderBody({ subscription_num: 3 }),
    });
    assert.equal(answer.status, 200, answer.text);
    return (answer.json() as { order_id: string }).order_id;
  }

  const posts = () => emu.requests().filter((r) => r.service === "metastudio" && r.method === "POST").length;

  async function create(p: OrderProvider, extra: Record<string, unknown> = {}) {
    const checked = await p.check({}, news(extra));
    assert.deepEqual(checked.failures ?? [], []);
    assert.equal(checked.inputs["__stack"], undefined, "the stack is never recorded");
    // When the attempt began, for the next run should this one be killed (not needed when it orders anyway).
    if (extra["allowRecentIdenticalOrder"] !== true) {
      assert.match(String(checked.inputs["__createAttemptAt"]), /^\d{4}-\d\d-\d\dT/);
    }
    return p.create(checked.inputs);
  }

  it("several orders in an interrupted attempt's window: nothing is sent, every one named, with adoptOrderId", async function () {
    const [a, b] = [await outsideOrder(), await outsideOrder()];
    const { p, stacks } = await provider(killedAttempt());
    await assert.rejects(create(p), (err: Error) => {
      assert.match(
        err.message,
        /MetaStudioSubscription 'avatar': the stack's checkpoint holds a create of this resource/,
      );
      assert.match(
        err.message,
        new RegExp(`BSS shows 2 orders .*${b}.*${a}|BSS shows 2 orders .*${a}.*${b}`),
      );
      assert.match(
        err.message,
        /set `adoptOrderId` to it .*`allowRecentIdenticalOrder: true`.*Nothing was ordered/,
      );
      return true;
    });
    assert.equal(posts(), 2, "only the two outside orders");
    assert.deepEqual(
      stacks,
      ["organization/app/dev"],
      "the checkpoint is read once, for the program's stack",
    );
  });

  it("served by the provider plugin, a pending create under the plugin's type is this resource's", async function () {
    await outsideOrder();
    await outsideOrder();
    const pluginType = "huaweicloud-orders:index:MetaStudioSubscription";
    const read = killedAttempt();
    assert.ok(read.ok);
    const pending = read.pending.map((op) => ({
      ...op,
      type: pluginType,
      urn: op.urn.replace(TYPE, pluginType),
    }));
    const { p } = await provider({ ...read, pending });
    p.run.host = "plugin";
    await assert.rejects(create(p), /the stack's checkpoint holds a create of this resource/);
    assert.equal(posts(), 2, "only the two outside orders");
  });

  it("one order in the window, but created after the attempt's first request could have made it: nothing is sent, it is named", async function () {
    const outside = await outsideOrder();
    const { p } = await provider(killedAttempt(10));
    await assert.rejects(create(p), (err: Error) => {
      assert.match(err.message, new RegExp(`BSS shows one order .*${outside}`));
      assert.match(
        err.message,
        new RegExp(
          `created after the interrupted create's first request could have reached BSS.*` +
            `set \`adoptOrderId: "${outside}"\`.*\`allowRecentIdenticalOrder: true\`.*Nothing was ordered`,
          "s",
        ),
      );
      return true;
    });
    assert.equal(posts(), 1, "only the outside order");
  });

  it("BSS's orders of MetaStudio under another service type code: the code is looked up, and a wrong configured one still finds the order unfiltered", async function () {
    // BSS's service type list names MetaStudio under a code that is not the built-in one.
    const CODE = "hws.service.type.mss";
    emu.setServiceTypeCode("metastudio", CODE);
    const outside = await outsideOrder();
    const listings = () => emu.requests().filter((r) => r.path === "/v2/orders/customer-orders");
    const looked = await provider(killedAttempt());
    const taken = await create(looked.p);
    assert.equal(taken.id, outside, "the killed attempt's order is found under the looked-up code");
    assert.ok(listings().length > 0 && listings().every((r) => r.query["service_type_code"] === CODE));
    assert.ok(emu.requests().some((r) => r.path === "/v2/products/service-types"));

    // A wrong configured code finds no order of its own: the window listed without the service
    // filter still holds the identical order.
    const before = listings().length;
    const wrong = await provider(killedAttempt(), {
      "huaweicloud-orders:serviceTypeCodes": JSON.stringify({ metastudio: "hws.service.type.wrong" }),
    });
    const again = await create(wrong.p);
    assert.equal(again.id, outside);
    assert.ok(
      listings()
        .slice(before)
        .some((r) => r.query["service_type_code"] === undefined),
      "listed without the service filter",
    );
    assert.equal(posts(), 1, "no order request was sent");
  });

  it("BSS unable to answer with evidence: nothing is sent; allowRecentIdenticalOrder orders without looking", async function () {
    const { p } = await provider(killedAttempt());
    emu.injectFaults({ kind: "error", count: 5, status: 500, service: "bss" });
    await assert.rejects(
      create(p),
      /could not look through BSS for the order a create of this resource .*Nothing was ordered/s,
    );
    assert.equal(posts(), 0);
    emu.clearFaults();
    const bssBefore = emu.requests().filter((r) => r.service === "bss").length;
    const created = await create(p, { allowRecentIdenticalOrder: true });
    assert.equal(posts(), 1);
    assert.equal(created.outs["adopted"], false);
    assert.equal(emu.requests().filter((r) => r.service === "bss").length, bssBefore, "no BSS look");
  });

  it("a checkpoint that cannot be read: the account's recent orders, with a warning naming why; none, and it orders", async function () {
    const unreadable: CheckpointRead = { ok: false, reason: "no Pulumi CLI was found" };
    const outside = await outsideOrder();
    const { p } = await provider(unreadable);
    await assert.rejects(
      create(p),
      new RegExp(
        `BSS shows a recent order .*: ${outside} .*could not be read \\(no Pulumi CLI was found\\).*Nothing was ordered`,
        "s",
      ),
    );
    assert.equal(posts(), 1);
    emu.reset();
    const fresh = await provider(unreadable);
    await create(fresh.p);
    assert.equal(posts(), 1, "nothing identical in the window: ordered");
  });

  it("a pending create of another resource is no evidence: no BSS look, and it orders", async function () {
    await outsideOrder();
    const other: CheckpointRead = {
      ok: true,
      heldDynamic: [],
      pending: [
        { urn: `urn:pulumi:dev::app::${TYPE}::other`, type: TYPE, inputs: { resourceName: "other" } },
      ],
    };
    const { p } = await provider(other);
    await create(p);
    assert.equal(posts(), 2);
    assert.equal(emu.requests().filter((r) => r.path.startsWith("/v2/orders/customer-orders")).length, 0);
  });
});
