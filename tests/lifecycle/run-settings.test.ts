import * as assert from "node:assert/strict";
import { DEFAULT_RUN_SETTINGS, parseRunSettings } from "../../provider/contract/run-settings";

const parse = (config: Record<string, string>) => parseRunSettings((key) => config[key]);

// The run's settings: one table, read once at configure; each malformed one is named with its value.
describe("the run settings (huaweicloud-orders: stack configuration)", function () {
  it("unset or empty, each takes its documented default", function () {
    assert.deepEqual(DEFAULT_RUN_SETTINGS, {
      previewPrice: true,
      requirePreviewPrice: false,
      maxNewOrders: undefined,
      orderPollIntervalSeconds: 10,
      orderReconcileSeconds: 300,
      duplicateOrderWindowMinutes: 60,
    });
    assert.deepEqual(
      parse({ "huaweicloud-orders:maxNewOrders": " ", "huaweicloud-orders:previewPrice": "" }).problems,
      [],
    );
  });

  it("maxNewOrders: a whole number from 0", function () {
    assert.equal(parse({ "huaweicloud-orders:maxNewOrders": "0" }).settings.maxNewOrders, 0);
    assert.equal(parse({ "huaweicloud-orders:maxNewOrders": " 12 " }).settings.maxNewOrders, 12);
    for (const bad of ["-1", "1.5", "two"]) {
      assert.deepEqual(parse({ "huaweicloud-orders:maxNewOrders": bad }).problems, [
        `huaweicloud-orders:maxNewOrders must be a whole number from 0, got "${bad}"`,
      ]);
    }
  });

  it("orderPollIntervalSeconds: seconds above 0", function () {
    assert.equal(
      parse({ "huaweicloud-orders:orderPollIntervalSeconds": "0.1" }).settings.orderPollIntervalSeconds,
      0.1,
    );
    assert.deepEqual(parse({ "huaweicloud-orders:orderPollIntervalSeconds": "0" }).problems, [
      'huaweicloud-orders:orderPollIntervalSeconds must be a number of seconds above 0, got "0"',
    ]);
  });

  it("orderReconcileSeconds: 0 or more seconds", function () {
    assert.equal(
      parse({ "huaweicloud-orders:orderReconcileSeconds": "0" }).settings.orderReconcileSeconds,
      0,
    );
    assert.equal(
      parse({ "huaweicloud-orders:orderReconcileSeconds": " 2.5 " }).settings.orderReconcileSeconds,
      2.5,
    );
    assert.deepEqual(parse({ "huaweicloud-orders:orderReconcileSeconds": "-1" }).problems, [
      'huaweicloud-orders:orderReconcileSeconds must be a number of seconds, 0 or more, got "-1"',
    ]);
  });

  it("duplicateOrderWindowMinutes: whole minutes from 0 (off) to a week", function () {
    for (const [raw, minutes] of [
      ["0", 0],
      ["90", 90],
      ["10080", 10080],
    ] as const) {
      assert.equal(
        parse({ "huaweicloud-orders:duplicateOrderWindowMinutes": raw }).settings.duplicateOrderWindowMinutes,
        minutes,
      );
    }
    for (const bad of ["-1", "1.5", "10081", "an hour"]) {
      const { problems } = parse({ "huaweicloud-orders:duplicateOrderWindowMinutes": bad });
      assert.equal(problems.length, 1, bad);
      assert.match(
        problems[0] ?? "",
        /huaweicloud-orders:duplicateOrderWindowMinutes must be a whole number of minutes from 0/,
      );
      assert.ok(problems[0]?.includes(`"${bad}"`));
    }
  });

  it("previewPrice and requirePreviewPrice: true or false; requiring a price never asked for is refused", function () {
    assert.deepEqual(parse({ "huaweicloud-orders:requirePreviewPrice": "yes" }).problems, [
      'huaweicloud-orders:requirePreviewPrice must be true or false, got "yes"',
    ]);
    assert.match(
      parse({
        "huaweicloud-orders:requirePreviewPrice": "true",
        "huaweicloud-orders:previewPrice": "false",
      }).problems.join(),
      /requirePreviewPrice is true but huaweicloud-orders:previewPrice is false: .*can never be had/,
    );
  });

  it("several malformed settings are all named, in the table's order", function () {
    const { problems, settings } = parse({
      "huaweicloud-orders:orderPollIntervalSeconds": "soon",
      "huaweicloud-orders:maxNewOrders": "many",
    });
    assert.deepEqual(
      problems.map((p) => p.split(" ")[0]),
      ["huaweicloud-orders:maxNewOrders", "huaweicloud-orders:orderPollIntervalSeconds"],
    );
    assert.equal(settings.orderPollIntervalSeconds, 10, "a malformed setting keeps its default");
  });
});
