import * as assert from "node:assert/strict";
import { HuaweiCloudError, Redactor, type CallRequest, type CallResult } from "../../provider/client";
import { allServiceTypes } from "../../provider/client/bss";
import { RecentOrders } from "../../provider/billing/recent-orders";
import { reconcileOrder } from "../../provider/billing/reconcile-order";
import { parseServiceTypeCodes, SERVICE_TYPE_CODES_KEY } from "../../provider/contract/run-settings";
import { ORDER_KINDS } from "../../provider/orders";
import { priceProducts, pricedByServiceType } from "../../provider/orders/order-items";
import type { ExpectedLine } from "../../provider/orders/order-kind";
import { EngineLog } from "../../provider/run/engine-log";
import { RunContext } from "../../provider/run/run-context";

// Service type codes are looked up, not guessed (docs/configuration.md "Service type codes"): BSS's service type
// list once per process, a configured code first, the built-in code last with one warning; and a
// look for orders by a code that finds none looks once more without it. Against a scripted BSS.
describe("service type codes (billing/service-types)", function () {
  const MS = ORDER_KINDS.MetaStudioSubscription;
  const DIS = ORDER_KINDS.DisPackageOrder;
  const BUILT_IN = "hws.service.type.metastudio";
  const monthly: ExpectedLine = {
    periodType: 2,
    periodNum: 1,
    subscriptionNum: 2,
    resourceSpecCode: "spec.a",
  };

  interface Listed {
    id: string;
    code: string;
    subscriptionNum?: number;
  }
  type Catalogue = unknown[] | "failing";

  /** A BSS that answers the service type list and the order reads; `calls` names each request. */
  function scriptedBss(catalogue: Catalogue, orders: Listed[] = []) {
    const calls: string[] = [];
    const answer = (body: unknown): CallResult => ({
      status: 200,
      body,
      headers: {},
      requestId: "r",
      attempts: 1,
      sentAt: new Date(0),
    });
    const client = {
      redactor: new Redactor(),
      async call(req: CallRequest): Promise<CallResult> {
        const path = req.path.join("/");
        if (path === "v2/products/service-types") {
          calls.push(`types limit=${req.query?.["limit"]} offset=${req.query?.["offset"]}`);
          if (catalogue === "failing") {
            throw new HuaweiCloudError(
              {
                service: "bss",
                operation: "ListServiceTypes",
                httpStatus: 403,
                errorCode: "CBC.0151",
                attempts: 1,
              },
              "ListServiceTypes failed (HTTP 403, CBC.0151 Access denied)",
              new Redactor(),
            );
          }
          return answer({ total_count: catalogue.length, service_types: catalogue, extra: null });
        }
        if (path === "v2/orders/customer-orders") {
          const code = req.query?.["service_type_code"];
          calls.push(`list ${code ?? "(any service)"}`);
          const listed = orders.filter((o) => code === undefined || o.code === code);
          return answer({
            total_count: listed.length,
            order_infos: listed.map((o) => ({ order_id: o.id, status: 6, service_type_code: o.code })),
          });
        }
        if (path.startsWith("v2/orders/customer-orders/details/")) {
          const o = orders.find((x) => x.id === req.path.at(-1));
          calls.push(`details ${o?.id}`);
          return answer({
            order_info: { order_id: o?.id, status: 6, create_time: "2026-12-06T07:00:00Z" },
            total_count: 1,
            order_line_items: [{ period_type: 2, period_num: 1, subscription_num: o?.subscriptionNum ?? 2 }],
          });
        }
        throw new Error(`unexpected ${path}`);
      },
    };
    return { client, calls };
  }

  const entry = (code: string | null, abbreviation: string | null, name: string | null = null) => ({
    service_type_code: code,
    abbreviation,
    service_type_name: name,
    unknown_field: 1,
  });

  /** A run whose warnings are kept: RunContext says each once. */
  function run(config: Record<string, string> = {}) {
    const warnings: string[] = [];
    const log = new (class extends EngineLog {
      override warn(message: string): Promise<void> {
        warnings.push(message);
        return Promise.resolve();
      }
    })(() => undefined);
    const context = new RunContext({ log });
    return { context, warnings, configure: () => context.configure((key) => config[key]) };
  }

  describe("BSS's service type list", function () {
    it("reads the list in one request of 1000, tolerating null and unknown fields; entries without a code are skipped", async function () {
      const bss = scriptedBss([
        entry("hws.service.type.obs", "OBS", "Object Storage Service"),
        null,
        entry(null, "X"),
        entry(" hws.service.type.mss ", null),
      ]);
      const types = await allServiceTypes(bss.client);
      assert.deepEqual(types, [
        { code: "hws.service.type.obs", name: "Object Storage Service", abbreviation: "OBS" },
        { code: "hws.service.type.mss" },
      ]);
      assert.deepEqual(bss.calls, ["types limit=1000 offset=0"]);
    });
  });

  describe("the code of a kind", function () {
    it("the list confirming the built-in code: one request per process, however many resources ask at once", async function () {
      const bss = scriptedBss([entry(BUILT_IN, "MetaStudio"), entry("hws.service.type.obs", "OBS")]);
      const { context, warnings } = run();
      const codes = await Promise.all(
        [1, 2, 3].map(() => context.serviceTypes.codeOf(MS, bss.client, "bss")),
      );
      const again = await context.serviceTypes.codeOf(MS, bss.client, "bss");
      for (const c of [...codes, again]) {
        assert.equal(c.code, BUILT_IN);
        assert.equal(c.source, "listed");
      }
      // Every other code of the list, and DIS's, belongs to another service.
      assert.deepEqual([...again.others].sort(), ["hws.service.type.dis", "hws.service.type.obs"]);
      assert.equal(bss.calls.length, 1);
      assert.deepEqual(warnings, []);
    });

    it("another code under MetaStudio's name is MetaStudio's code, without a warning", async function () {
      const bss = scriptedBss([
        entry("hws.service.type.obs", "OBS"),
        entry("hws.service.type.mss", null, "数字内容生产线 MetaStudio"),
      ]);
      const { context, warnings } = run();
      const found = await context.serviceTypes.codeOf(MS, bss.client);
      assert.deepEqual(found, {
        code: "hws.service.type.mss",
        source: "listed",
        others: ["hws.service.type.dis", "hws.service.type.obs"],
      });
      assert.deepEqual(warnings, []);
    });

    it("a configured code wins, and nothing is asked", async function () {
      const bss = scriptedBss([entry(BUILT_IN, "MetaStudio")]);
      const { context, configure } = run({
        [SERVICE_TYPE_CODES_KEY]: '{"metastudio": "hws.service.type.mine"}',
      });
      await configure();
      assert.deepEqual(context.settingProblems, []);
      const found = await context.serviceTypes.codeOf(MS, bss.client);
      assert.deepEqual(found, {
        code: "hws.service.type.mine",
        source: "configured",
        others: ["hws.service.type.dis"],
      });
      assert.equal(context.serviceTypes.known(MS), "hws.service.type.mine");
      assert.equal(context.serviceTypes.known(DIS), "hws.service.type.dis");
      assert.deepEqual(bss.calls, []);
    });

    it("a list that does not name MetaStudio, or cannot be read: the built-in code, with one warning per run", async function () {
      for (const catalogue of [[entry("hws.service.type.obs", "OBS")], "failing"] as Catalogue[]) {
        const bss = scriptedBss(catalogue);
        const { context, warnings } = run();
        for (let i = 0; i < 3; i++) {
          const found = await context.serviceTypes.codeOf(MS, bss.client);
          assert.deepEqual(found, { code: BUILT_IN, source: "built-in", others: ["hws.service.type.dis"] });
        }
        assert.equal(bss.calls.length, 1, "a failed look is not asked again in the run");
        assert.equal(warnings.length, 1, warnings.join("\n"));
        assert.match(
          warnings[0] ?? "",
          catalogue === "failing"
            ? /^MetaStudioSubscription: BSS's service type list \(GET \/v2\/products\/service-types\) could not be read \(.*HTTP 403, CBC\.0151.*\)/
            : /^MetaStudioSubscription: BSS's service type list names no service MetaStudio/,
        );
        assert.match(
          warnings[0] ?? "",
          /built-in service type code hws\.service\.type\.metastudio .*among orders of any other service\. Set huaweicloud-orders:serviceTypeCodes\.metastudio/,
        );
      }
    });

    it("the setting: a map of dis and metastudio to codes; anything else names the key", function () {
      assert.deepEqual(parseServiceTypeCodes(undefined), { codes: {}, problems: [] });
      assert.deepEqual(
        parseServiceTypeCodes('{"metastudio": " hws.service.type.x ", "dis": "hws.service.type.dis"}'),
        {
          codes: { metastudio: "hws.service.type.x", dis: "hws.service.type.dis" },
          problems: [],
        },
      );
      for (const bad of [
        '{"ecs": "hws.service.type.ec2"}',
        '{"metastudio": ""}',
        '{"metastudio": 1}',
        "hws.service.type.x",
      ]) {
        const parsed = parseServiceTypeCodes(bad);
        assert.deepEqual(parsed.codes, {}, bad);
        assert.match(
          parsed.problems.join(),
          /^huaweicloud-orders:serviceTypeCodes must be a map of dis, metastudio to service type codes/,
          bad,
        );
      }
    });
  });

  describe("a filter that finds nothing is not 'none found'", function () {
    const outside = (code: string, id: string, subscriptionNum = 2): Listed => ({
      id,
      code,
      subscriptionNum,
    });

    it("the duplicate guard lists the window again without the service filter and compares line items; orders of codes known as others' are skipped", async function () {
      const bss = scriptedBss(
        [entry("hws.service.type.obs", "OBS")],
        [
          outside("hws.service.type.unlisted", "REAL"),
          outside("hws.service.type.unlisted", "OTHERLINES", 7),
          outside("hws.service.type.dis", "DISORDER"),
        ],
      );
      const { context, warnings } = run();
      const code = await context.serviceTypes.codeOf(MS, bss.client);
      const recent = new RecentOrders(Date.parse("2026-12-06T08:00:00Z"));
      const request = {
        client: bss.client,
        account: "a",
        serviceTypeCode: code.code,
        otherServiceTypeCodes: code.others,
        lines: [monthly],
        windowMinutes: 60,
        held: new Set<string>(),
      };
      const found = await recent.identical(request);
      assert.deepEqual(
        found.map((f) => f.orderId),
        ["REAL"],
      );
      assert.equal(warnings.length, 1);
      // A second resource of the run: nothing listed again.
      await recent.identical(request);
      assert.deepEqual(bss.calls, [
        "types limit=1000 offset=0",
        `list ${BUILT_IN}`,
        "list (any service)",
        "details REAL",
        "details OTHERLINES",
      ]);
    });

    it("the guard: with orders of its code in the window, nothing is listed again", async function () {
      const bss = scriptedBss(
        [],
        [outside(BUILT_IN, "OURS", 3), outside("hws.service.type.unlisted", "ELSE")],
      );
      const found = await new RecentOrders(0).identical({
        client: bss.client,
        account: "a",
        serviceTypeCode: BUILT_IN,
        lines: [monthly],
        windowMinutes: 60,
        held: new Set(),
      });
      assert.deepEqual(found, []);
      assert.deepEqual(bss.calls, [`list ${BUILT_IN}`, "details OURS"]);
    });

    it("reconcile: before 'not placed', the unfiltered window's order of an unlisted code stops it; one of a code the list names as another service's does not", async function () {
      const catalogue = [entry(BUILT_IN, "MetaStudio"), entry("hws.service.type.obs", "OBS")];
      const reconcile = async (orders: Listed[]) => {
        const bss = scriptedBss(catalogue, orders);
        const code = await run().context.serviceTypes.codeOf(MS, bss.client);
        let clock = 1_000_000;
        const found = await reconcileOrder({
          client: bss.client,
          label: "MetaStudioSubscription 'm'",
          sentAt: new Date(clock),
          serviceTypeCode: code.code,
          otherServiceTypeCodes: code.others,
          lines: [monthly],
          held: new Set(),
          settleMs: 0,
          pollMs: 1000,
          progress: async () => undefined,
          now: () => clock,
          sleep: async (ms) => void (clock += ms),
        });
        return { found, calls: bss.calls };
      };
      const unlisted = await reconcile([outside("hws.service.type.unlisted", "ELSEWHERE")]);
      assert.equal(unlisted.found.kind, "ambiguous");
      assert.deepEqual(
        unlisted.found.kind === "ambiguous" && unlisted.found.candidates.map((c) => c.orderId),
        ["ELSEWHERE"],
      );
      assert.ok(unlisted.calls.includes("list (any service)"));
      const obs = await reconcile([outside("hws.service.type.obs", "OBSORDER")]);
      assert.equal(obs.found.kind, "not-placed");
      assert.ok(!obs.calls.includes("details OBSORDER"), "an order of another listed service is never read");
    });
  });

  it("MetaStudio's price names the looked-up code; DIS's names its own input", function () {
    const ms = MS.inputs.parse({
      cloudServices: [
        {
          periodType: 2,
          periodNum: 1,
          subscriptionNum: 1,
          resourceSpecCode: "hws.resource.type.metastudio.modeling.avatarlive.channel",
        },
      ],
    });
    assert.equal(pricedByServiceType(MS, ms), true);
    const mapped = priceProducts(MS, ms, "cn-north-4", "hws.service.type.mss");
    assert.ok("products" in mapped);
    assert.deepEqual(mapped.products[0], {
      cloudServiceType: "hws.service.type.mss",
      // MetaStudio's "Resource Types" page: the item's code is its resource type code.
      resourceType: "hws.resource.type.metastudio.modeling.avatarlive.channel",
      resourceSpec: "hws.resource.type.metastudio.modeling.avatarlive.channel",
      region: "cn-north-4",
      periodType: 2,
      periodNum: 1,
      subscriptionNum: 1,
    });
    assert.equal(pricedByServiceType(DIS, DIS.inputs.parse({ orderId: "CS1" })), false);
  });
});
