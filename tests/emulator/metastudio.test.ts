import * as assert from "node:assert/strict";
import { DEMO_ACCOUNT, type RunningEmulator, startEmulator } from "../../emulator";
import { errorOf, METASTUDIO_FROM_TABLE, METASTUDIO_PATH, send } from "./helpers";

type Item = Record<string, unknown>;

const item = METASTUDIO_FROM_TABLE.cloud_services[0] as Item;

/** One cloud service, the table's with fields replaced; an undefined field is left out of the JSON sent. */
function withItem(fields: Item): { cloud_services: Item[] } {
  return { cloud_services: [{ ...item, ...fields }] };
}

describe("MetaStudio: subscribing to a product (POST /v1/{project_id}/mss/public/orders)", function () {
  let emu: RunningEmulator;
  let token: string;
  const subscribe = (body: unknown) =>
    send(emu.url, { path: METASTUDIO_PATH, headers: { "X-Auth-Token": token }, json: body });

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

  it("accepts a request built from the page's table: 200 with a new order_id", async function () {
    const answer = await subscribe(METASTUDIO_FROM_TABLE);
    assert.equal(answer.status, 200);
    const body = answer.json() as { order_id: string };
    assert.deepEqual(Object.keys(body), ["order_id"]);
    assert.match(body.order_id, /^CS\d{6}[0-9A-F]{12}$/);
    assert.match(String(answer.headers["x-request-id"]), /^[0-9a-f]{32}$/);
  });

  it("records the order under the path's project with the request as sent", async function () {
    const answer = await subscribe(METASTUDIO_FROM_TABLE);
    const [recorded] = emu.orders("metastudio");
    assert.ok(recorded);
    assert.equal(recorded.orderId, (answer.json() as { order_id: string }).order_id);
    assert.equal(recorded.projectId, DEMO_ACCOUNT.projectId);
    assert.equal(recorded.request.path, METASTUDIO_PATH);
    assert.deepEqual(recorded.request.body, METASTUDIO_FROM_TABLE);
    assert.equal(recorded.request.headers["x-auth-token"], "[redacted]");
    assert.deepEqual(emu.orders("dis"), []);
  });

  it("gives every order a different id", async function () {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++)
      ids.add(((await subscribe(METASTUDIO_FROM_TABLE)).json() as { order_id: string }).order_id);
    assert.equal(ids.size, 20);
    assert.equal(emu.orders().length, 20);
  });

  it("accepts the required fields alone", async function () {
    const minimal = { period_type: 6, period_num: 1, subscription_num: 1, resource_spec_code: "x" };
    assert.equal((await subscribe({ cloud_services: [minimal] })).status, 200);
  });

  it("accepts several cloud services in one order", async function () {
    const answer = await subscribe({ cloud_services: [item, { ...item, period_type: 3 }] });
    assert.equal(answer.status, 200);
    assert.equal(emu.orders().length, 1);
  });

  describe("accepts each range bound itself", function () {
    const bounds: [string, Item][] = [
      ["is_auto_pay 0", { is_auto_pay: 0 }],
      ["is_auto_pay 1", { is_auto_pay: 1 }],
      ["period_type 2 (monthly)", { period_type: 2 }],
      ["period_type 3 (yearly)", { period_type: 3 }],
      ["period_type 6 (one-off)", { period_type: 6 }],
      ["period_num 1", { period_num: 1 }],
      ["period_num 2147483647", { period_num: 2147483647 }],
      ["is_auto_renew 0", { is_auto_renew: 0 }],
      ["is_auto_renew 10 (the page's range is 0~10)", { is_auto_renew: 10 }],
      ["subscription_num 1", { subscription_num: 1 }],
      ["subscription_num 2147483647", { subscription_num: 2147483647 }],
    ];
    for (const [name, fields] of bounds) {
      it(name, async function () {
        const answer = await subscribe(withItem(fields));
        assert.equal(answer.status, 200, answer.text);
      });
    }
  });

  describe("rejects an invalid request with 400 MSS.00000003 naming the field, and records nothing", function () {
    const at = "cloud_services[0]";
    const cases: [string, unknown, string][] = [
      ["is_auto_pay -1", withItem({ is_auto_pay: -1 }), `${at}.is_auto_pay: must be from 0 to 1`],
      ["is_auto_pay 2", withItem({ is_auto_pay: 2 }), `${at}.is_auto_pay: must be from 0 to 1`],
      ['is_auto_pay "0"', withItem({ is_auto_pay: "0" }), `${at}.is_auto_pay: must be an integer`],
      [
        "period_type 1",
        withItem({ period_type: 1 }),
        `${at}.period_type: must be 2 (monthly), 3 (yearly) or 6 (one-off)`,
      ],
      [
        "period_type 4",
        withItem({ period_type: 4 }),
        `${at}.period_type: must be 2 (monthly), 3 (yearly) or 6 (one-off)`,
      ],
      ["period_type 5", withItem({ period_type: 5 }), `${at}.period_type: must be 2`],
      ["period_type 7", withItem({ period_type: 7 }), `${at}.period_type: must be 2`],
      ['period_type "2"', withItem({ period_type: "2" }), `${at}.period_type: must be an integer`],
      ["no period_type", withItem({ period_type: undefined }), `${at}.period_type: is required`],
      ["period_num 0", withItem({ period_num: 0 }), `${at}.period_num: must be from 1 to 2147483647`],
      [
        "period_num 2147483648",
        withItem({ period_num: 2147483648 }),
        `${at}.period_num: must be from 1 to 2147483647`,
      ],
      ["period_num 1.5", withItem({ period_num: 1.5 }), `${at}.period_num: must be an integer`],
      ["no period_num", withItem({ period_num: undefined }), `${at}.period_num: is required`],
      ["is_auto_renew -1", withItem({ is_auto_renew: -1 }), `${at}.is_auto_renew: must be from 0 to 10`],
      ["is_auto_renew 11", withItem({ is_auto_renew: 11 }), `${at}.is_auto_renew: must be from 0 to 10`],
      ["is_auto_renew true", withItem({ is_auto_renew: true }), `${at}.is_auto_renew: must be an integer`],
      [
        "subscription_num 0",
        withItem({ subscription_num: 0 }),
        `${at}.subscription_num: must be from 1 to 2147483647`,
      ],
      [
        "subscription_num 2147483648",
        withItem({ subscription_num: 2147483648 }),
        `${at}.subscription_num: must be from 1 to 2147483647`,
      ],
      [
        "no subscription_num",
        withItem({ subscription_num: undefined }),
        `${at}.subscription_num: is required`,
      ],
      [
        "an empty resource_spec_code",
        withItem({ resource_spec_code: "" }),
        `${at}.resource_spec_code: must not be empty`,
      ],
      [
        "resource_spec_code 1",
        withItem({ resource_spec_code: 1 }),
        `${at}.resource_spec_code: must be a string`,
      ],
      [
        "no resource_spec_code",
        withItem({ resource_spec_code: undefined }),
        `${at}.resource_spec_code: is required`,
      ],
      [
        "an unknown field in a cloud service",
        withItem({ period_unit: "month" }),
        `${at}.period_unit: unknown field`,
      ],
      [
        "an unknown top-level field",
        { ...METASTUDIO_FROM_TABLE, is_auto_pay: 1 },
        "is_auto_pay: unknown field",
      ],
      ["no cloud_services (an order of nothing)", {}, "cloud_services: is required"],
      [
        "an empty cloud_services",
        { cloud_services: [] },
        "cloud_services: must list at least one cloud service",
      ],
      ["cloud_services as a single object", { cloud_services: item }, "cloud_services: must be an array"],
      ["a cloud service that is not an object", { cloud_services: ["x"] }, `${at}: must be a JSON object`],
      ["a JSON array body", [item], "body: must be a JSON object, not an array"],
      ["a JSON null body", null, "body: must be a JSON object"],
    ];
    for (const [name, body, expected] of cases) {
      it(`rejects ${name}`, async function () {
        const answer = await subscribe(body);
        assert.equal(answer.status, 400, answer.text);
        const error = errorOf(answer);
        assert.equal(error.code, "MSS.00000003");
        assert.ok(error.message.startsWith("Invalid parameter: "), error.message);
        assert.ok(error.message.includes(expected), `${error.message}\n  should include: ${expected}`);
        assert.equal(emu.orders().length, 0);
      });
    }

    it("names every violation of every cloud service at once", async function () {
      const answer = await subscribe({
        cloud_services: [
          { ...item, period_num: 0 },
          { ...item, period_type: 9, subscription_num: undefined },
        ],
      });
      const { message } = errorOf(answer);
      for (const path of [
        "cloud_services[0].period_num",
        "cloud_services[1].period_type",
        "cloud_services[1].subscription_num",
      ]) {
        assert.ok(message.includes(`${path}: `), `${message}\n  should name ${path}`);
      }
    });
  });
});
