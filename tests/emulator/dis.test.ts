import * as assert from "node:assert/strict";
import { DEMO_ACCOUNT, type RunningEmulator, startEmulator } from "../../emulator";
import { DIS_PAGE_EXAMPLE, DIS_PATH, errorOf, nextDisPath, send } from "./helpers";

type Body = Record<string, unknown>;

/** The page's example with fields replaced; an undefined field is left out of the JSON sent. */
function exampleWith(cloudServices: Body, top: Body = {}): Body {
  return {
    ...DIS_PAGE_EXAMPLE,
    cloudServices: { ...DIS_PAGE_EXAMPLE.cloudServices, ...cloudServices },
    ...top,
  };
}

const example = DIS_PAGE_EXAMPLE.cloudServices;

describe("DIS: submitting a cloud service package order (POST /v2/orders/{order_id})", function () {
  let emu: RunningEmulator;
  let token: string;
  const order = (body: unknown, path = DIS_PATH) =>
    send(emu.url, { path, headers: { "X-Auth-Token": token }, json: body });

  before(async function () {
    emu = await startEmulator();
  });
  after(async function () {
    await emu.stop();
  });
  beforeEach(function () {
    emu.reset();
    token = emu.issueToken();
  });

  it("accepts the page's example request verbatim with token authentication: 200, empty body", async function () {
    const answer = await order(DIS_PAGE_EXAMPLE);
    assert.equal(answer.status, 200);
    assert.equal(answer.text, "");
    assert.equal(answer.headers["content-length"], "0");
    assert.match(String(answer.headers["x-request-id"]), /^[0-9a-f]{32}$/);
  });

  it("records the accepted order with its project, time and the request less its secrets", async function () {
    const answer = await order(DIS_PAGE_EXAMPLE);
    const [recorded, ...rest] = emu.orders();
    assert.equal(rest.length, 0);
    assert.ok(recorded);
    assert.equal(recorded.service, "dis");
    assert.equal(recorded.orderId, "CS2511071586MU");
    assert.equal(recorded.projectId, DEMO_ACCOUNT.projectId);
    assert.equal(recorded.auth, "token");
    assert.equal(recorded.requestId, answer.headers["x-request-id"]);
    assert.ok(Math.abs(Date.parse(recorded.receivedAt) - Date.now()) < 60_000);
    assert.equal(recorded.request.method, "POST");
    assert.equal(recorded.request.path, DIS_PATH);
    assert.deepEqual(recorded.request.body, DIS_PAGE_EXAMPLE);
    assert.equal(recorded.request.headers["x-auth-token"], "[redacted]");
    assert.equal(recorded.request.headers["content-type"], "application/json");
    assert.ok(!JSON.stringify(emu.orders()).includes(token));
  });

  it("accepts an empty JSON object: every body field of the page is optional", async function () {
    assert.equal((await order({})).status, 200);
    assert.equal(emu.orders().length, 1);
  });

  it("rejects an empty body with DIS.4202 Empty request.", async function () {
    const answer = await send(emu.url, {
      path: DIS_PATH,
      headers: { "X-Auth-Token": token, "Content-Type": "application/json" },
    });
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.json(), { error_code: "DIS.4202", error_msg: "Empty request." });
    assert.equal(emu.orders().length, 0);
  });

  it("refuses a second submission of an order id it accepted, and records nothing (an assumption)", async function () {
    await order(DIS_PAGE_EXAMPLE);
    const again = await order(DIS_PAGE_EXAMPLE);
    assert.equal(again.status, 400);
    assert.deepEqual(again.json(), {
      error_code: "DIS.4200",
      error_msg: "Invalid request. order_id: order CS2511071586MU has already been submitted",
    });
    assert.deepEqual(
      emu.orders().map((o) => o.orderId),
      ["CS2511071586MU"],
    );
  });

  describe("the wire decisions", function () {
    it("takes cloudServices, cloudServiceForm and productInfos as single objects, as the example sends them", async function () {
      assert.equal((await order(DIS_PAGE_EXAMPLE)).status, 200);
    });

    it("accepts cloudServiceForm's type with the table's spelling, cloudservicetype", async function () {
      const form = { cloudservicetype: "hws.service.type.dis", projectid: "abc123", orderid: "CS1" };
      assert.equal((await order(exampleWith({ cloudServiceForm: form }))).status, 200);
    });

    it("accepts isAutoRenew and isTrial as 0, 1, true or false", async function () {
      for (const value of [0, 1, true, false]) {
        const answer = await order(exampleWith({ isAutoRenew: value, isTrial: value }), nextDisPath());
        assert.equal(answer.status, 200, `isAutoRenew ${String(value)}: ${answer.text}`);
      }
    });

    it("accepts the example-only fields with the example's types and spelling", async function () {
      const answer = await order(
        exampleWith(
          {
            avalibleZoneId: "cn-north-4a",
            cloudServiceEndpoint: "https://x",
            regionId: "cn-north-4",
            subscriptionNum: 3,
          },
          { discountId: "d1" },
        ),
      );
      assert.equal(answer.status, 200);
    });
  });

  describe("accepts each range bound itself", function () {
    const bounds: [string, Body][] = [
      ["periodNum 1 with periodType 2 (monthly)", exampleWith({ periodType: 2, periodNum: 1 })],
      ["periodNum 9 with periodType 2 (monthly)", exampleWith({ periodType: 2, periodNum: 9 })],
      ["periodNum 1 with periodType 3 (yearly)", exampleWith({ periodType: 3, periodNum: 1 })],
      ["periodNum 3 with periodType 3 (yearly)", exampleWith({ periodType: 3, periodNum: 3 })],
      [
        "periodNum 9 with periodType left to its default, 2",
        exampleWith({ periodType: undefined, periodNum: 9 }),
      ],
      ["subscriptionNum 1", exampleWith({ subscriptionNum: 1 })],
      [
        "a projectid of 64 letters and digits",
        exampleWith({ cloudServiceForm: { projectid: "a1".repeat(32) } }),
      ],
      ["an orderid of 1 character", exampleWith({ cloudServiceForm: { orderid: "C" } })],
    ];
    for (const [name, body] of bounds) {
      it(name, async function () {
        const answer = await order(body);
        assert.equal(answer.status, 200, answer.text);
      });
    }

    it("a path order_id of 64 letters and digits, and of 1", async function () {
      assert.equal((await order({}, `/v2/orders/${"C1".repeat(32)}`)).status, 200);
      assert.equal((await order({}, "/v2/orders/C")).status, 200);
    });
  });

  describe("rejects an invalid request with 400 DIS.4200 naming the field, and records nothing", function () {
    const cases: [string, unknown, string][] = [
      // arrays where the example sends objects
      [
        "cloudServices as an array",
        { cloudServices: [example] },
        "cloudServices: must be a JSON object, not an array",
      ],
      [
        "cloudServiceForm as an array",
        exampleWith({ cloudServiceForm: [example.cloudServiceForm] }),
        "cloudServices.cloudServiceForm: must be a JSON object, not an array",
      ],
      [
        "productInfos as an array",
        exampleWith({ productInfos: [example.productInfos] }),
        "cloudServices.productInfos: must be a JSON object, not an array",
      ],
      // periodNum's range depends on periodType
      [
        "periodNum 10 with periodType 2",
        exampleWith({ periodType: 2, periodNum: 10 }),
        "cloudServices.periodNum: must be from 1 to 9 when periodType is 2",
      ],
      [
        "periodNum 0 with periodType 2",
        exampleWith({ periodType: 2, periodNum: 0 }),
        "cloudServices.periodNum: must be from 1 to 9",
      ],
      [
        "periodNum 4 with periodType 3",
        exampleWith({ periodType: 3, periodNum: 4 }),
        "cloudServices.periodNum: must be from 1 to 3 when periodType is 3",
      ],
      [
        "periodNum 0 with periodType 3",
        exampleWith({ periodType: 3, periodNum: 0 }),
        "cloudServices.periodNum: must be from 1 to 3",
      ],
      [
        "periodNum 10 with periodType left to 2",
        exampleWith({ periodType: undefined, periodNum: 10 }),
        "cloudServices.periodNum: must be from 1 to 9",
      ],
      [
        "periodType 1",
        exampleWith({ periodType: 1 }),
        "cloudServices.periodType: must be 2 (monthly) or 3 (yearly)",
      ],
      [
        "periodType 4",
        exampleWith({ periodType: 4 }),
        "cloudServices.periodType: must be 2 (monthly) or 3 (yearly)",
      ],
      [
        "subscriptionNum 0",
        exampleWith({ subscriptionNum: 0 }),
        "cloudServices.subscriptionNum: must be at least 1",
      ],
      // strict types
      [
        'periodType "2" (a string)',
        exampleWith({ periodType: "2" }),
        "cloudServices.periodType: must be an integer",
      ],
      ["periodNum 1.5", exampleWith({ periodNum: 1.5 }), "cloudServices.periodNum: must be an integer"],
      [
        'periodNum "1" (a string)',
        exampleWith({ periodNum: "1" }),
        "cloudServices.periodNum: must be an integer",
      ],
      [
        'chargingMode "0"',
        exampleWith({ chargingMode: "0" }),
        "cloudServices.chargingMode: must be an integer",
      ],
      ["paymentMode 0.5", exampleWith({ paymentMode: 0.5 }), "cloudServices.paymentMode: must be an integer"],
      ['purchaseMode "1"', exampleWith({}, { purchaseMode: "1" }), "purchaseMode: must be an integer"],
      [
        "isAutoRenew 2",
        exampleWith({ isAutoRenew: 2 }),
        "cloudServices.isAutoRenew: must be 0, 1, true or false",
      ],
      ['isTrial "0"', exampleWith({ isTrial: "0" }), "cloudServices.isTrial: must be 0, 1, true or false"],
      [
        "isAutoRenew null",
        exampleWith({ isAutoRenew: null }),
        "cloudServices.isAutoRenew: must be 0, 1, true or false",
      ],
      [
        "cloudServiceType 1",
        exampleWith({ cloudServiceType: 1 }),
        "cloudServices.cloudServiceType: must be a string",
      ],
      ["regionId null", exampleWith({ regionId: null }), "cloudServices.regionId: must be a string"],
      ["tenantId 5", exampleWith({}, { tenantId: 5 }), "tenantId: must be a string"],
      ["discountId false", exampleWith({}, { discountId: false }), "discountId: must be a string"],
      [
        "productInfos.productId 301",
        exampleWith({ productInfos: { productId: 301 } }),
        "cloudServices.productInfos.productId: must be a string",
      ],
      // projectid and orderid: 1 to 64 letters and digits
      [
        "a projectid with a dash",
        exampleWith({ cloudServiceForm: { projectid: "abc-def" } }),
        "cloudServices.cloudServiceForm.projectid: must be 1 to 64 letters and digits",
      ],
      [
        "an empty projectid",
        exampleWith({ cloudServiceForm: { projectid: "" } }),
        "cloudServices.cloudServiceForm.projectid: must be 1 to 64 letters and digits",
      ],
      [
        "a projectid of 65 characters",
        exampleWith({ cloudServiceForm: { projectid: "a".repeat(65) } }),
        "cloudServices.cloudServiceForm.projectid: must be 1 to 64 letters and digits",
      ],
      [
        "an orderid with a space",
        exampleWith({ cloudServiceForm: { orderid: "CS 1" } }),
        "cloudServices.cloudServiceForm.orderid: must be 1 to 64 letters and digits",
      ],
      [
        "both spellings of cloudServiceForm's type",
        exampleWith({ cloudServiceForm: { cloudservicetype: "a", cloudServiceType: "a" } }),
        "cloudServices.cloudServiceForm: give cloudservicetype (the table's spelling) or cloudServiceType (the example's), not both",
      ],
      // unknown fields
      ["an unknown top-level field", exampleWith({}, { orderType: 1 }), "orderType: unknown field"],
      [
        "availableZoneId (the page spells it avalibleZoneId)",
        exampleWith({ availableZoneId: "" }),
        "cloudServices.availableZoneId: unknown field (the page spells it avalibleZoneId)",
      ],
      [
        "an unknown field in cloudServiceForm",
        exampleWith({ cloudServiceForm: { region: "x" } }),
        "cloudServices.cloudServiceForm.region: unknown field",
      ],
      [
        "an unknown field in productInfos",
        exampleWith({ productInfos: { price: 1 } }),
        "cloudServices.productInfos.price: unknown field",
      ],
      // not an object at all
      ["a JSON array body", [DIS_PAGE_EXAMPLE], "body: must be a JSON object, not an array"],
      ["a JSON string body", "order", "body: must be a JSON object"],
      ["a JSON null body", null, "body: must be a JSON object"],
    ];
    for (const [name, body, expected] of cases) {
      it(`rejects ${name}`, async function () {
        const answer = await order(body);
        assert.equal(answer.status, 400, answer.text);
        const error = errorOf(answer);
        assert.equal(error.code, "DIS.4200");
        assert.ok(error.message.startsWith("Invalid request. "), error.message);
        assert.ok(error.message.includes(expected), `${error.message}\n  should include: ${expected}`);
        assert.equal(emu.orders().length, 0);
      });
    }

    it("rejects a path order_id with a dash", async function () {
      const error = errorOf(await order(DIS_PAGE_EXAMPLE, "/v2/orders/CS-2511"));
      assert.equal(error.code, "DIS.4200");
      assert.match(error.message, /order_id: must be 1 to 64 letters and digits/);
      assert.equal(emu.orders().length, 0);
    });

    it("rejects a path order_id of 65 characters", async function () {
      const error = errorOf(await order(DIS_PAGE_EXAMPLE, `/v2/orders/${"C".repeat(65)}`));
      assert.match(error.message, /order_id: must be 1 to 64 letters and digits/);
    });

    it("names every violation at once", async function () {
      const answer = await order(
        exampleWith(
          { periodType: 3, periodNum: 4, isTrial: 3, productInfos: [] },
          { purchaseMode: "1", extra: 1 },
        ),
        "/v2/orders/CS_1",
      );
      const { message } = errorOf(answer);
      for (const path of [
        "order_id",
        "cloudServices.periodNum",
        "cloudServices.isTrial",
        "cloudServices.productInfos",
        "purchaseMode",
        "extra",
      ]) {
        assert.ok(message.includes(`${path}: `), `${message}\n  should name ${path}`);
      }
    });
  });
});
