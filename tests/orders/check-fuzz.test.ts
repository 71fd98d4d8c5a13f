import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { OrderProvider, ORDER_KINDS, type OrderKindName } from "../../provider";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server";

// Fixed by default so a failure reproduces; FUZZ_SEED=<n> explores other inputs.
const seed = Number(process.env["FUZZ_SEED"] ?? 20261125);
const numRuns = Number(process.env["FUZZ_RUNS"] ?? 400);

// Pulumi's property-path syntax: name, then .name, [0] or ["any key"].
const PROPERTY_PATH =
  /^(?:[A-Za-z_$][\w$]*|\["(?:[^"\\]|\\.)*"\])(?:\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*$/;

/** Inputs near the valid ones: right names, wrong or edge values, extra fields, unknown markers. */
const value = fc.oneof(
  fc.integer({ min: -3, max: 12 }),
  fc.constantFrom(0, 1, 2, 3, 6, 9, 10, 2147483647, 2147483648, 1.5, -0, Number.NaN),
  fc.string({ maxLength: 70 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant("04da6b54-80e4-46f7-96ec-b56ff0331ba9"),
  fc.array(fc.integer(), { maxLength: 2 }),
);
const disInputs = fc.record(
  {
    orderId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,70}$/), value),
    purchaseMode: value,
    tenantId: value,
    cloudServices: fc.oneof(
      value,
      fc.record(
        {
          periodType: value,
          periodNum: value,
          isTrial: value,
          subscriptionNum: value,
          cloudServiceForm: fc.oneof(
            value,
            fc.record({ projectId: value, orderId: value }, { requiredKeys: [] }),
          ),
          productInfos: fc.oneof(value, fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 3 })),
          avalibleZoneId: value,
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);
const product = fc.record(
  {
    periodType: value,
    periodNum: value,
    subscriptionNum: value,
    resourceSpecCode: value,
    isAutoPay: value,
    extra: value,
  },
  { requiredKeys: [] },
);
const metastudioInputs = fc.record(
  { cloudServices: fc.oneof(value, fc.array(product, { maxLength: 3 })) },
  { requiredKeys: [] },
);

describe(`check, fuzzed (seed ${seed}, ${numRuns} runs; set FUZZ_SEED to vary)`, function () {
  let server: ScriptedServer;
  const saved = process.env;
  before(async function () {
    server = await startScriptedServer();
    // Were check to call out, it would reach this server and be counted.
    process.env = {
      ...saved,
      HW_REGION_NAME: "cn-north-4",
      HW_AUTH_TOKEN: "fuzz-token-000001",
      HW_PROJECT_ID: "0123456789abcdef0123456789abcdef",
      HUAWEICLOUD_ORDERS_DIS_ENDPOINT: server.url,
      HUAWEICLOUD_ORDERS_METASTUDIO_ENDPOINT: server.url,
      HW_AUTH_URL: server.url,
    };
  });
  after(async function () {
    process.env = saved;
    await server.close();
  });

  for (const [kind, inputs] of [
    ["DisPackageOrder", disInputs],
    ["MetaStudioSubscription", metastudioInputs],
  ] as [OrderKindName, fc.Arbitrary<Record<string, unknown>>][]) {
    it(`${kind}: never throws, never sends a request, and every rejection names a property path`, async function () {
      const provider = new OrderProvider(ORDER_KINDS[kind]);
      await fc.assert(
        fc.asyncProperty(inputs, async (news) => {
          const result = await provider.check({}, news);
          for (const failure of result.failures ?? []) {
            assert.match(failure.property, PROPERTY_PATH, JSON.stringify(failure));
            assert.ok(failure.reason.length > 0);
          }
        }),
        { seed, numRuns },
      );
      assert.equal(server.received.length, 0);
    });
  }
});
