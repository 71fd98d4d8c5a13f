import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { z } from "zod";
import { ORDER_KINDS, orderProvider, type OrderKindName } from "../../provider";
import type { OrderKind } from "../../provider/orders";
import { onWire } from "../../provider/orders/schema-kit";
import * as sdk from "../../sdk";
import { providerModule } from "../../sdk/order-resource";
import {
  orderResourceClass,
  type OrderArgsOf,
  type OrderOutputsOf,
  type OrderResourceClass,
} from "../../sdk/order-resource-class";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server";

// A third order kind, added the way CONTRIBUTING.md "Adding an order endpoint" says: the schema and OrderKind
// below are what its file in provider/orders/ would hold, and `register` is its line in ORDER_KINDS.
const testOrderInputs = z.strictObject({
  /** Path parameter. */
  packageCode: onWire(z.string().regex(/^[a-z]+$/, "packageCode must be lower-case letters"), {
    inPath: true,
  }),
  /** Sent as `quantity_num`. Default: 1. */
  quantity: onWire(z.number().int().min(1, "quantity must be 1 or more").default(1), {
    wire: "quantity_num",
  }),
  isAutoRenew: onWire(z.boolean().default(false), { booleanAsInteger: true }),
  note: z.string().optional(),
});
const testOrder: OrderKind<typeof testOrderInputs> = {
  name: "TestPackageOrder",
  service: "dis",
  operation: "CreateTestPackageOrder",
  inputs: testOrderInputs,
  projectInPath: true,
  path: (inputs, projectId) => ["v1", projectId, "test-packages", inputs.packageCode],
  orderId: { in: "answer", read: (body) => (body as { order_id?: string } | undefined)?.order_id },
  serviceTypeCode: "hws.service.type.test",
  // One package per order: what pricing, reconcile and policies read of it.
  items: (inputs) => [
    {
      path: "packageCode",
      periodType: 2,
      period: "month",
      periodNum: 1,
      subscriptionNum: inputs.quantity,
      resourceSpecCode: inputs.packageCode,
      isAutoRenew: inputs.isAutoRenew,
      declared: inputs,
    },
  ],
  payment: "autoPay input",
  unsubscribeHint: "Unsubscribe it in the Billing Center.",
  payHint: "Pay it in the Billing Center.",
};
const TEST_KIND = testOrder.name as OrderKindName;
const registry = ORDER_KINDS as Record<string, OrderKind>;

// Compile-time: the sdk exports a class for every registered kind, typed from its schema (tsc fails
// here when a kind is registered without its sdk line).
const sdkClasses: { [K in OrderKindName]: OrderResourceClass<K> } = sdk;

// Compile-time: a kind's arguments and outputs derive from its schema alone.
type TestArgs = OrderArgsOf<typeof testOrder>;
type TestOutputs = OrderOutputsOf<typeof testOrder>;
const typedArgs: TestArgs = { packageCode: pulumi.output("abc"), quantity: 2, adoptOrderId: "A1" };
// @ts-expect-error quantity is a number
const wrongType: TestArgs = { packageCode: "abc", quantity: "2" };
// @ts-expect-error packageCode is required
const missing: TestArgs = { quantity: 2 };
// @ts-expect-error not a field of the schema
const unknownField: TestArgs = { packageCode: "abc", colour: "red" };
const quantityOutput: TestOutputs["quantity"] extends pulumi.Output<number> ? true : false = true;
const noteOutput: TestOutputs["note"] extends pulumi.Output<string | undefined> ? true : false = true;
void [typedArgs, wrongType, missing, unknownField, quantityOutput, noteOutput];

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

describe("order kinds: a schema and a registration line; the sdk class derives from them", function () {
  const registered: Registered[] = [];
  let server: ScriptedServer;

  before(async function () {
    registry[testOrder.name] = testOrder;
    await pulumi.runtime.setMocks({
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    });
    server = await startScriptedServer();
  });
  after(async function () {
    Reflect.deleteProperty(registry, testOrder.name);
    await server?.close();
  });

  it("the sdk exports every registered kind under its name", function () {
    for (const kind of Object.keys(ORDER_KINDS).filter((k) => k !== testOrder.name)) {
      assert.equal(typeof (sdkClasses as Record<string, unknown>)[kind], "function", `sdk exports ${kind}`);
    }
  });

  it("each class registers its kind's dynamic type token, with an output for every field of its schema", async function () {
    const declared: pulumi.CustomResource[] = [
      new sdk.DisPackageOrder("dis", { orderId: "CS1" }),
      new sdk.MetaStudioSubscription("ms", { cloudServices: [] }),
      new (orderResourceClass(TEST_KIND))("test", { packageCode: "abc" } as never),
    ];
    await Promise.all(declared.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
    const kinds = ["DisPackageOrder", "MetaStudioSubscription", testOrder.name];
    // Registrations arrive in any order: by resource name, as declared.
    const byName = ["dis", "ms", "test"].map((n) => registered.find((r) => r.name === n));
    assert.deepEqual(
      byName.map((r) => r?.type),
      kinds.map((k) => `pulumi-nodejs:dynamic/huaweicloud:${k}`),
    );
    for (const [i, resource] of declared.entries()) {
      const schema = registry[kinds[i] ?? ""]?.inputs as z.ZodObject;
      const outputs = [
        ...Object.keys(schema.shape),
        "orderId",
        "requestId",
        "submittedAt",
        "region",
        "projectId",
      ];
      for (const o of outputs) {
        assert.ok(
          pulumi.Output.isInstance((resource as unknown as Record<string, unknown>)[o]),
          `${kinds[i]} has ${o}`,
        );
      }
    }
    // The provider each resource records: a require of the package's provider entry, nothing else.
    for (const [i, kind] of kinds.entries()) {
      assert.equal(byName[i]?.inputs["__provider"], providerModule(kind as OrderKindName));
    }
    assert.equal(
      byName[0]?.inputs["__provider"],
      'exports.handler=()=>require("pulumi-huaweicloud-orders/provider").orderProvider("DisPackageOrder")',
    );
    assert.equal(byName[2]?.inputs["packageCode"], "abc");
    assert.equal(byName[2]?.inputs["resourceName"], "test");
  });

  it("registering captures no stack traces (Pulumi's 4 per output property), and leaves Error.stackTraceLimit as it was", function () {
    const seen: number[] = [];
    const before = Error.stackTraceLimit;
    // Pulumi reads the limit when it captures: a transformation runs inside the registration.
    const probe: pulumi.ResourceTransformation = (args) => {
      seen.push(Error.stackTraceLimit);
      return { props: args.props, opts: args.opts };
    };
    new sdk.DisPackageOrder("limit-dis", { orderId: "CS2" }, { transformations: [probe] });
    assert.deepEqual(seen, [0], "no frames captured while the resource registers");
    assert.equal(Error.stackTraceLimit, before, "restored after the constructor");
    assert.throws(
      () => new sdk.DisPackageOrder("limit-dis", { orderId: "CS3" }, { parent: {} as never }),
      (err: Error) => (err.stack ?? "").includes("order-kinds.test.ts"),
      "an error thrown while registering still points at the program's line",
    );
    assert.equal(Error.stackTraceLimit, before, "restored when the registration throws");
    const saved = process.env["PULUMI_DEBUG_PROMISE_LEAKS"];
    process.env["PULUMI_DEBUG_PROMISE_LEAKS"] = "1";
    try {
      new sdk.DisPackageOrder("limit-leaks", { orderId: "CS4" }, { transformations: [probe] });
    } finally {
      if (saved === undefined) delete process.env["PULUMI_DEBUG_PROMISE_LEAKS"];
      else process.env["PULUMI_DEBUG_PROMISE_LEAKS"] = saved;
    }
    assert.deepEqual(seen, [0, before], "Pulumi's promise-leak report keeps its stacks");
  });

  it("the provider serves the registered kind: check applies its schema, create posts its wire body", async function () {
    const provider = orderProvider(TEST_KIND);
    // Settings are checked too (a new order needs them): given here, so only the schema speaks.
    const settings = { region: "cn-north-4", token: "token-000001", projectId: "p".repeat(32) };
    const refused = await provider.check({}, { packageCode: "ABC", quantity: 0, connection: settings });
    assert.deepEqual(
      refused.failures?.map((f) => [f.property, f.reason]),
      [
        ["packageCode", "packageCode must be lower-case letters"],
        ["quantity", "quantity must be 1 or more"],
      ],
    );
    const connection = { region: "cn-north-4", projectId: "p1", token: "t", endpoints: { dis: server.url } };
    // Its order id comes from the answer, so it gets the duplicate guard too; confirmed away here,
    // so the server sees only the order request.
    const checked = await provider.check(
      {},
      { packageCode: "abc", resourceName: "test", connection, allowRecentIdenticalOrder: true },
    );
    assert.deepEqual(checked.failures ?? [], []);
    server.script({ respond: 200, body: { order_id: "T123" } });
    const created = await provider.create(checked.inputs as Record<string, unknown>);
    assert.equal(created.id, "T123");
    assert.deepEqual(
      server.received.map((r) => [r.method, r.url, JSON.parse(r.body)]),
      [["POST", "/v1/p1/test-packages/abc", { quantity_num: 1, isAutoRenew: 0 }]],
    );
    assert.equal(created.outs["quantity"], 1);
    assert.equal(created.outs["requestId"], "req-0001"); // the scripted server's X-Request-Id
  });
});
