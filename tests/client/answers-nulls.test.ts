import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { DEMO_ACCOUNT } from "../../emulator";
import { huaweiError } from "../../provider/client/decode";
import {
  bss,
  bssPrices,
  HuaweiCloudError,
  metastudioResources,
  UnexpectedAnswerError,
  type HuaweiCloudClient,
} from "../../provider/client";
import { ORDER_KINDS } from "../../provider";
import { followOrder, FollowStopped, type FollowRequest } from "../../provider/billing/follow-order";
import { quoteOrder } from "../../provider/billing/price-quote";
import { reconcileOrder } from "../../provider/billing/reconcile-order";
import { refreshOrder } from "../../provider/billing/refresh-order";
import { NOT_FOLLOWED } from "../../provider/contract/recorded-outputs";
import {
  DIS_PRODUCT,
  mutate,
  recordAnswers,
  REQUIRED,
  requiredPaths,
  replayClient,
  without,
  type Mutation,
  type Recorded,
} from "./recorded-answers";

// Fixed by default so a failure reproduces (fast-check prints the seed and path); FUZZ_SEED=<n>
// explores other answers.
const seed = Number(process.env["FUZZ_SEED"] ?? 20261207);
const numRuns = Number(process.env["FUZZ_RUNS"] ?? 60);
const SPEC = "hws.resource.type.metastudio.modeling.avatarlive.channel";
const OPERATIONS = Object.keys(REQUIRED);

const mutation: fc.Arbitrary<Mutation> = fc.record({
  field: fc.func(fc.constantFrom("keep" as const, "null" as const, "drop" as const)),
  extra: fc.func(fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined })),
});
const mutations = fc.record(Object.fromEntries(OPERATIONS.map((op) => [op, mutation])));

describe(`answers with nulls, left-out and unknown fields (seed ${seed}, ${numRuns} runs; set FUZZ_SEED to vary)`, function () {
  let rec: Recorded;
  before(async function () {
    rec = await recordAnswers();
  });

  const body = (op: string) => rec.bodies.get(op);
  const clock = () => {
    let ms = rec.createdAt.getTime() + 1000;
    return { now: () => ms, sleep: async (wait: number) => void (ms += wait) };
  };
  const follow = (client: HuaweiCloudClient, over: Partial<FollowRequest> = {}) =>
    followOrder({
      client,
      orderId: rec.orderId,
      label: "MetaStudioSubscription 'm'",
      wanted: "provisioned",
      payThroughBss: false,
      paysItself: true,
      payHint: "Pay it by hand.",
      timeoutMs: 1000,
      pollMs: 100,
      recorded: NOT_FOLLOWED,
      progress: async () => undefined,
      ...clock(),
      ...over,
    });
  const reconcile = (client: HuaweiCloudClient, byId: boolean) =>
    reconcileOrder({
      client,
      label: "MetaStudioSubscription 'm'",
      sentAt: rec.createdAt,
      ...(byId ? { orderId: rec.orderId } : {}),
      serviceTypeCode: "hws.service.type.metastudio",
      lines: [
        { periodType: 2, periodNum: 1, subscriptionNum: 1, resourceSpecCode: SPEC },
        { periodType: 3, periodNum: 1, subscriptionNum: 2, resourceSpecCode: SPEC },
      ],
      held: new Set<string>(),
      settleMs: 1000,
      pollMs: 100,
      progress: async () => undefined,
      ...clock(),
    });

  it("the emulator's answers are those of a paid, provisioned two-item order, in English", function () {
    const details = body("ShowCustomerOrderDetails") as { order_info: { status: number } };
    assert.equal(details.order_info.status, 5);
    assert.ok(rec.resourceIds.length >= 2, JSON.stringify(body("ListPayPerUseCustomerResources")));
    assert.ok(rec.bssHeaders.length >= 5);
    for (const h of rec.bssHeaders) assert.equal(h["x-language"], "en_US", JSON.stringify(h));
  });

  it("X-Language goes on BSS calls only, and AK/SK signs it", async function () {
    const { client, transport } = replayClient((op) => ({ status: 200, body: body(op) }));
    await bss.orderDetails(client, rec.orderId);
    await metastudioResources.tenantResources(client, { orderId: rec.orderId });
    const [toBss, toMetaStudio] = transport.sent;
    assert.equal(toBss?.headers["X-Language"], "en_US");
    assert.match(toBss?.headers["Authorization"] ?? "", /SignedHeaders=[^,]*\bx-language\b/);
    assert.equal(toMetaStudio?.headers["X-Language"], undefined);
    assert.doesNotMatch(toMetaStudio?.headers["Authorization"] ?? "", /x-language/);
  });

  it("follow, refresh, reconcile, unsubscribe and the price read every mutated answer as the emulator's", async function () {
    this.timeout(20_000);
    const unsubscribed = (body("CancelResourcesSubscription") as { order_ids: string[] }).order_ids;
    await fc.assert(
      fc.asyncProperty(mutations, async (m) => {
        const { client } = replayClient((op) => ({
          status: 200,
          body: mutate(op, body(op), m[op] as Mutation),
        }));
        const followed = await follow(client);
        assert.equal(followed.orderStage, "provisioned");
        assert.equal(followed.orderStatus, 5);
        const ids = followed.purchasedResources.map((r) => r.resourceId);
        for (const id of rec.resourceIds) assert.ok(ids.includes(id), `${id} in ${ids.join(", ")}`);

        const refreshed = await refreshOrder({
          client,
          orderId: rec.orderId,
          recorded: followed,
          now: () => 0,
        });
        assert.equal(refreshed.outputs.subscriptionStatus, "active");
        assert.equal(refreshed.finding, undefined);

        for (const byId of [true, false]) {
          const found = await reconcile(client, byId);
          assert.deepEqual(found.kind === "found" && found.orderId, rec.orderId, JSON.stringify(found));
        }

        const gone = await bss.unsubscribeResources(client, rec.resourceIds.slice(0, 1));
        assert.ok(gone.orderIds.length === 0 || gone.orderIds.join() === unsubscribed.join());

        const price = await bssPrices.periodPrice(client, DEMO_ACCOUNT.projectId, [DIS_PRODUCT]);
        assert.equal(price.officialAmount, 30);
        assert.equal(price.bestOffer?.amount, 24);

        const tenant = await metastudioResources.tenantResources(client, { orderId: rec.orderId });
        assert.equal(tenant.resources.length, rec.resourceIds.length);
      }),
      { seed, numRuns },
    );
  });

  /** What decodes each operation's answer. */
  const decoders: Record<string, (client: HuaweiCloudClient) => Promise<unknown>> = {
    ShowCustomerOrderDetails: (c) => bss.orderDetails(c, rec.orderId),
    ListCustomerOrders: (c) => bss.listOrders(c, {}),
    ListPayPerUseCustomerResources: (c) => bss.orderResources(c, { orderId: rec.orderId }),
    ListTenantResources: (c) => metastudioResources.tenantResources(c, { orderId: rec.orderId }),
    ListRateOnPeriodDetail: (c) => bssPrices.periodPrice(c, DEMO_ACCOUNT.projectId, [DIS_PRODUCT]),
  };

  it("a required field missing or of another type is an UnexpectedAnswerError naming the call, the field and the request id", async function () {
    let checked = 0;
    for (const [op, decode] of Object.entries(decoders)) {
      for (const path of requiredPaths(op, body(op))) {
        // Without order_info, order details reads as an unknown order (below); a wrong type is an error.
        const readsAsUnknown = op === "ShowCustomerOrderDetails" && path.join(".") === "order_info";
        const broken = [
          ...(readsAsUnknown ? [] : [without(body(op), path)]),
          withValue(body(op), path, true),
        ];
        for (const b of broken) {
          const { client } = replayClient(() => ({ status: 200, body: b }));
          await assert.rejects(decode(client), (err: unknown) => {
            assert.ok(err instanceof UnexpectedAnswerError, String(err));
            assert.ok(err.message.includes(op), err.message);
            assert.ok(err.message.includes(`${path.join(".")}:`), err.message);
            assert.match(err.message, /X-Request-Id req-\d{4}/);
            return true;
          });
          checked++;
        }
      }
    }
    assert.ok(checked >= 20, `${checked} broken answers`);
  });

  it("follow stops on a broken answer, naming the call, the field and the request id", async function () {
    const broken = without(body("ShowCustomerOrderDetails"), ["order_info", "status"]);
    const { client } = replayClient(() => ({ status: 200, body: broken }));
    const err = await follow(client).catch((e: unknown) => e);
    assert.ok(err instanceof FollowStopped);
    assert.match(
      err.message,
      /ShowCustomerOrderDetails failed \(HTTP 200, X-Request-Id req-0001.*order_info\.status:/,
    );
  });

  it("order details without order_info (or with it null) is an order BSS does not know, as CBC.30000010", async function () {
    for (const info of [undefined, null]) {
      const answer = { ...(body("ShowCustomerOrderDetails") as object), order_info: info };
      const { client } = replayClient((op) => ({
        status: 200,
        body: op === "ShowCustomerOrderDetails" ? answer : body(op),
      }));
      const err = await bss.orderDetails(client, rec.orderId).catch((e: unknown) => e);
      assert.ok(bss.isOrderNotFound(err), String(err));
      assert.ok(err instanceof bss.OrderNotFoundError);
      const lines: string[] = [];
      const stopped = await follow(client, { progress: async (l) => void lines.push(l) }).catch(
        (e: unknown) => e,
      );
      assert.ok(stopped instanceof FollowStopped);
      assert.match(lines[0] ?? "", /is not known to BSS yet \(no order_info\); waiting for it/);
      const reconciled = await reconcile(client, true);
      assert.equal(reconciled.kind, "not-placed");
    }
  });

  it("an error code no page here names is passed on with its message and request id", async function () {
    const { client } = replayClient(() => ({
      status: 400,
      body: { error_code: "CBC.12345678", error_msg: "Something new happened." },
    }));
    const err = await follow(client).catch((e: unknown) => e);
    assert.ok(err instanceof FollowStopped);
    assert.match(
      err.message,
      /HTTP 400, error_code CBC\.12345678, error_msg "Something new happened\.", X-Request-Id req-0001/,
    );
    const price = await bssPrices
      .periodPrice(client, DEMO_ACCOUNT.projectId, [DIS_PRODUCT])
      .catch((e: unknown) => e);
    assert.ok(price instanceof HuaweiCloudError && price.metadata.errorCode === "CBC.12345678");
  });

  it("a product the inquiry cannot match (CBC.99006006) says to set priceInquiry", async function () {
    const { client } = replayClient(() => ({
      status: 400,
      body: { error_code: bssPrices.PRODUCT_NOT_FOUND, error_msg: "The product cannot be found." },
    }));
    const dis = ORDER_KINDS.DisPackageOrder;
    const quote = await quoteOrder({
      kind: dis,
      order: dis.inputs.parse({ orderId: "CS1" }),
      overrides: undefined,
      settings: () => client.settings,
      client: () => client,
    });
    assert.ok("unavailable" in quote);
    assert.match(quote.unavailable, /CBC\.99006006.*X-Request-Id req-0001.*set priceInquiry/);
  });

  it("an IAM-style error with a null code has no code, not the text null", function () {
    assert.deepEqual(huaweiError({ error: { code: null, message: "m" } }, "{}"), {
      errorCode: undefined,
      errorMsg: "m",
    });
  });

  it("a payment refused for the balance (CBC.99005003) says to top it up", async function () {
    const pending = structuredClone(body("ShowCustomerOrderDetails")) as {
      order_info: Record<string, unknown>;
    };
    pending.order_info["status"] = 6;
    delete pending.order_info["payment_time"];
    const { client, transport } = replayClient((op) =>
      op === "PayOrders"
        ? {
            status: 400,
            body: { error_code: bss.INSUFFICIENT_BALANCE, error_msg: "The account balance is insufficient." },
          }
        : { status: 200, body: op === "ShowCustomerOrderDetails" ? pending : body(op) },
    );
    const err = await follow(client, { payThroughBss: true, paysItself: false }).catch((e: unknown) => e);
    assert.ok(err instanceof FollowStopped);
    assert.match(err.message, /CBC\.99005003.*X-Request-Id req-0002.*top it up/);
    assert.equal(err.outputs.paymentSentAt, null, "a refused payment may be sent again");
    assert.equal(transport.sent.filter((r) => r.url.endsWith("/pay")).length, 1);
  });
});

/** A copy of `body` with `value` at `path`. */
function withValue(body: unknown, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let v: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) v = v[key] as Record<string, unknown>;
  v[path.at(-1) as string] = value;
  return copy;
}
