import * as assert from "node:assert/strict";
import { engineAddressOf, serve } from "../../provider/plugin/main";
import { inPluginTerms, pluginStackConfig } from "../../provider/plugin/plugin-config";
import { loadProtocol } from "../../provider/plugin/protocol";
import { declaredInputs, stackOf, targetOf } from "../../provider/plugin/server";
import { reviewStackConfig } from "../../provider/run/stack-config";
import { orderKindOf } from "../../policy/rules";
import { predecessorProblem } from "../../provider/steps/move-to-plugin";
import { OrderProvider, ORDER_KINDS, RunContext } from "../../provider";
import type * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";

// The provider plugin's own logic: what it reads from the engine's calls and arguments, how its
// configuration maps onto the settings, and what it tells the engine at configure.
describe("provider plugin", function () {
  const URN = "urn:pulumi:dev::shop::huaweicloud-orders:index:DisPackageOrder::orders";

  it("reads the kind, name and stack from a URN, a parent's type included", function () {
    assert.deepEqual(targetOf(URN), { kind: "DisPackageOrder", name: "orders" });
    const child = "urn:pulumi:dev::shop::my:app:Comp$huaweicloud-orders:index:MetaStudioSubscription::a::b";
    assert.deepEqual(targetOf(child), { kind: "MetaStudioSubscription", name: "a::b" });
    assert.equal(stackOf(URN), "dev");
    assert.throws(
      () => targetOf("urn:pulumi:dev::shop::huaweicloud-orders:index:Nope::x"),
      /no resource type/,
    );
  });

  it("gives check the resource's name, and keeps a program's own resourceName aside for check to refuse", function () {
    assert.deepEqual(declaredInputs(URN, { orderId: "CS1" }, "dev"), {
      orderId: "CS1",
      resourceName: "orders",
      __stack: "dev",
    });
    const misnamed = declaredInputs(URN, { resourceName: "mine" }, undefined);
    assert.equal(misnamed["resourceName"], "orders");
    assert.equal(misnamed["__resourceNameArgument"], "mine");
  });

  it("the policy pack knows the plugin's types as it knows the dynamic resources'", function () {
    assert.equal(orderKindOf("huaweicloud-orders:index:DisPackageOrder"), "DisPackageOrder");
    assert.equal(
      orderKindOf("pulumi-nodejs:dynamic/huaweicloud:MetaStudioSubscription"),
      "MetaStudioSubscription",
    );
    assert.equal(orderKindOf("huaweicloud-orders:index:Other"), undefined);
  });

  it("finds the engine's address after the engine's flags", function () {
    assert.equal(engineAddressOf(["127.0.0.1:5000"]), "127.0.0.1:5000");
    assert.equal(
      engineAddressOf(["--logtostderr", "-v=9", "--tracing", "file:/t", "127.0.0.1:1"]),
      "127.0.0.1:1",
    );
    assert.equal(engineAddressOf([]), undefined);
  });

  it("reads Huawei's provider's settings from the package's own namespace, in either key form", function () {
    const config = pluginStackConfig(
      new Map([
        ["huaweicloud-orders:config:region", "cn-north-4"],
        ["huaweicloud-orders:endpoints", '{"dis":"http://127.0.0.1:1"}'],
        ["huaweicloud-orders:orderReconcileSeconds", "1"],
        ["huaweicloud-orders:bogusKey", "x"],
      ]),
    );
    assert.equal(config.get("huaweicloud:region"), "cn-north-4");
    assert.equal(config.get("huaweicloud:endpoints"), '{"dis":"http://127.0.0.1:1"}');
    assert.equal(config.get("huaweicloud-orders:orderReconcileSeconds"), "1");
    // The package's own settings are not Huawei's provider's: no old-name reading of them.
    assert.equal(config.get("huaweicloud:orderReconcileSeconds"), undefined);
    const review = reviewStackConfig(config, {});
    assert.deepEqual(review.warnings, []);
    assert.equal(review.problems.length, 1);
    assert.match(review.problems[0] ?? "", /huaweicloud-orders:bogusKey/);
  });

  it("names settings in its messages by the keys the plugin reads", function () {
    assert.equal(
      inPluginTerms(
        "set huaweicloud:region (or HW_REGION_NAME) and huaweicloud:endpoints.dis; `huaweicloud:` is Huawei's",
      ),
      "set huaweicloud-orders:region (or HW_REGION_NAME) and huaweicloud-orders:endpoints.dis; `huaweicloud:` is Huawei's",
    );
    assert.equal(
      inPluginTerms("pulumi-nodejs:dynamic/huaweicloud:DisPackageOrder"),
      "pulumi-nodejs:dynamic/huaweicloud:DisPackageOrder",
    );
  });

  it("refuses a plugin resource over a dynamic one's order unless it adopts it, and never with onDestroy unsubscribe", function () {
    const old = {
      urn: "urn:pulumi:dev::shop::pulumi-nodejs:dynamic/huaweicloud:DisPackageOrder::orders",
      type: "pulumi-nodejs:dynamic/huaweicloud:DisPackageOrder",
      name: "orders",
      orderId: "CS1",
      onDestroy: "keep",
    };
    assert.match(
      predecessorProblem("X", undefined, old) ?? "",
      /aliases: \["urn:.*::orders"\].*set adoptOrderId: "CS1".*pulumi state delete/,
    );
    assert.match(predecessorProblem("X", "CS2", old) ?? "", /set adoptOrderId: "CS1"/);
    assert.equal(predecessorProblem("X", "CS1", old), undefined);
    assert.match(
      predecessorProblem("X", "CS1", { ...old, onDestroy: "unsubscribe" }) ?? "",
      /would unsubscribe order CS1/,
    );
    assert.equal(predecessorProblem("X", undefined, undefined), undefined);
  });

  it("answers configure over gRPC with no secrets and no preview support, so a preview never creates", async function () {
    const protocol = loadProtocol();
    // A provider of its own: the registry's serves the process's one run, which other tests share.
    const provider = new OrderProvider(ORDER_KINDS.DisPackageOrder, new RunContext());
    const plugin = await serve(["127.0.0.1:1"], { providerOf: () => provider });
    const port = plugin.port;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the generated client, as the engine's side
    const rpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as typeof provrpc;
    const client = new rpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      protocol.grpc.credentials.createInsecure(),
    );
    try {
      const request = new protocol.provider.ConfigureRequest();
      request.getVariablesMap().set("huaweicloud-orders:region", "cn-north-4");
      const answer = await new Promise<import("@pulumi/pulumi/proto/provider_pb").ConfigureResponse>(
        (resolve, reject) => client.configure(request, (err, res) => (err ? reject(err) : resolve(res))),
      );
      assert.equal(answer.getSupportspreview(), false);
      assert.equal(answer.getAcceptsecrets(), false);
      const info = await new Promise<string>((resolve, reject) =>
        client.getPluginInfo(new protocol.empty.Empty(), (err, res) =>
          err ? reject(err) : resolve(res.getVersion()),
        ),
      );
      assert.match(info, /^\d+\.\d+\.\d+/);
      assert.equal(provider.run.host, "plugin");
    } finally {
      client.close();
      await plugin.stop();
    }
  });
});
