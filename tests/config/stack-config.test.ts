import * as assert from "node:assert/strict";
import { Config as DynamicProviderConfig } from "@pulumi/pulumi/cmd/dynamic-provider/config";
import { EngineLog } from "../../provider/run/engine-log";
import { RunContext } from "../../provider/run/run-context";
import {
  editDistance,
  nearest,
  reviewStackConfig,
  stackConfigOf,
  type StackConfig,
} from "../../provider/run/stack-config";

// The stack's configuration as a whole, reviewed once per run: the previous release's names warn
// once, naming the new key; an old and a new key at odds fail; an unknown key of this package's
// namespace fails, naming the nearest known key.
const stack = (values: Record<string, string>): StackConfig => ({
  get: (key) => values[key],
  keys: Object.keys(values),
});

class RecordingLog extends EngineLog {
  readonly lines: string[] = [];
  override warn(message: string): Promise<void> {
    this.lines.push(message);
    return Promise.resolve();
  }
}

describe("the stack configuration, reviewed once per run", function () {
  it("the dynamic-provider host's Config holds every key of every namespace, and stackConfigOf reads them", function () {
    // As @pulumi/pulumi's cmd/dynamic-provider builds it from the engine's configure request.
    const raw = { "huaweicloud:region": "cn-north-4", "huaweicloud-orders:maxNewOrder": "1", "proj:x": "y" };
    const config = stackConfigOf(new DynamicProviderConfig(raw, "proj"));
    assert.deepEqual(config.keys, Object.keys(raw));
    assert.equal(config.get("huaweicloud:region"), "cn-north-4");
    assert.equal(stackConfigOf({ get: () => undefined, require: () => "" }).keys, undefined);
  });

  it("each previous name warns, naming its new key; the same value under both is only a warning", function () {
    const review = reviewStackConfig(
      stack({
        "huaweicloud:authToken": "t",
        "huaweicloud:maxNewOrders": "2",
        "huaweicloud-orders:maxNewOrders": "2",
        "huaweicloud:previewPrice": "false",
      }),
      { HW_DIS_ENDPOINT: "https://dis.example.test" },
    );
    assert.deepEqual(review.problems, []);
    assert.deepEqual(review.warnings, [
      "huaweicloud:authToken is the previous release's name of huaweicloud:token, read in this release only: rename it; " +
        "Huawei's provider owns the `huaweicloud:` namespace and refuses keys it does not define (docs/configuration.md)",
      "HW_DIS_ENDPOINT is the previous release's name of HUAWEICLOUD_ORDERS_DIS_ENDPOINT, read in this release only: " +
        "set the new variable instead",
      "huaweicloud:previewPrice is the previous release's name of huaweicloud-orders:previewPrice, read in this release only: " +
        "rename it; Huawei's provider owns the `huaweicloud:` namespace and refuses keys it does not define (docs/configuration.md)",
      "huaweicloud:maxNewOrders is the previous release's name of huaweicloud-orders:maxNewOrders, read in this release only: " +
        "rename it; Huawei's provider owns the `huaweicloud:` namespace and refuses keys it does not define (docs/configuration.md)",
    ]);
  });

  it("a run setting under its old and its new key, to different values, fails naming both", function () {
    const { problems } = reviewStackConfig(
      stack({ "huaweicloud:orderReconcileSeconds": "5", "huaweicloud-orders:orderReconcileSeconds": "1" }),
      {},
    );
    assert.deepEqual(problems, [
      "huaweicloud:orderReconcileSeconds (the previous release's name) and huaweicloud-orders:orderReconcileSeconds are " +
        "both set, to different values: keep huaweicloud-orders:orderReconcileSeconds and remove huaweicloud:orderReconcileSeconds",
    ]);
  });

  it("a key of huaweicloud-orders: the package does not know fails, naming the nearest known key", function () {
    const { problems } = reviewStackConfig(
      stack({
        "huaweicloud-orders:maxNewOrder": "1",
        "huaweicloud-orders:previewprice": "true",
        "huaweicloud-orders:ordrePollIntervalSecs": "1",
        "huaweicloud-orders:region": "cn-north-4",
        "huaweicloud-orders:endpoints": "{}",
        "huaweicloud-orders:maxRetries": "2",
        "huaweicloud:anything": "Huawei's provider judges its own keys",
      }),
      {},
    );
    assert.deepEqual(
      problems.map((p) => p.split("? ")[0]),
      [
        "huaweicloud-orders:maxNewOrder is not a setting of this package; did you mean huaweicloud-orders:maxNewOrders",
        "huaweicloud-orders:previewprice is not a setting of this package; did you mean huaweicloud-orders:previewPrice",
        "huaweicloud-orders:ordrePollIntervalSecs is not a setting of this package; did you mean huaweicloud-orders:orderPollIntervalSeconds",
        "huaweicloud-orders:region is not a setting of this package: region is shared with Huawei's provider, set huaweicloud:region instead",
        "huaweicloud-orders:endpoints is not a setting of this package: endpoints is shared with Huawei's provider, set huaweicloud:endpoints instead",
      ],
    );
    assert.match(
      problems[0] ?? "",
      /Its settings are huaweicloud-orders:domainAuthToken, .*huaweicloud-orders:duplicateOrderWindowMinutes, huaweicloud-orders:serviceTypeCodes$/,
    );
  });

  it("Huawei's maxRetries set alone warns that it is no longer read", function () {
    const { warnings } = reviewStackConfig(stack({ "huaweicloud:maxRetries": "3" }), { HW_MAX_RETRIES: "3" });
    assert.deepEqual(warnings, [
      "huaweicloud:maxRetries is Huawei's provider's setting, with its own meaning, and no longer read by this package: " +
        "this package's retry count is huaweicloud-orders:maxRetries (default 4); set it to silence this warning",
      "HW_MAX_RETRIES is Huawei's provider's setting, with its own meaning, and no longer read by this package: " +
        "this package's retry count is HUAWEICLOUD_ORDERS_MAX_RETRIES (default 4); set it to silence this warning",
    ]);
    const own = reviewStackConfig(
      stack({ "huaweicloud:maxRetries": "3", "huaweicloud-orders:maxRetries": "1" }),
      {},
    );
    assert.deepEqual(own.warnings, []);
  });

  it("a run warns once per old name, however many providers configure it, and fails every preview on a problem", async function () {
    const log = new RecordingLog();
    const run = new RunContext({ log, env: () => ({}) });
    const config = stack({ "huaweicloud:maxNewOrders": "1", "huaweicloud-orders:maxNewOrdrs": "1" });
    await run.configure(config);
    await run.configure(config);
    assert.deepEqual(
      log.lines.map((l) => l.split(",")[0]),
      ["huaweicloud:maxNewOrders is the previous release's name of huaweicloud-orders:maxNewOrders"],
    );
    assert.equal(run.settings.maxNewOrders, 1, "the old key is read");
    assert.match(
      run.settingProblems.join(),
      /huaweicloud-orders:maxNewOrdrs is not a setting of this package; did you mean huaweicloud-orders:maxNewOrders\?/,
    );
  });

  it("edit distance and the nearest key", function () {
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.equal(editDistance("", "abc"), 3);
    assert.equal(editDistance("same", "same"), 0);
    assert.equal(
      nearest("huaweicloud-orders:maxnewOrders", [
        "huaweicloud-orders:maxRetries",
        "huaweicloud-orders:maxNewOrders",
      ]),
      "huaweicloud-orders:maxNewOrders",
    );
  });
});
