import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEMO_ACCOUNT, type RunningEmulator, startEmulator } from "../../emulator";
import { errorOf, send, useEmulator } from "./helpers";

const RATE = "/v2/bills/ratings/period-resources/subscribe-rate";
const d = DEMO_ACCOUNT;

const disPackage = {
  id: "1",
  cloud_service_type: "hws.service.type.dis",
  resource_type: "hws.resource.type.dis",
  resource_spec: "dis.general.partition.duration.pkg",
  region: "cn-north-4",
  period_type: 2,
  period_num: 3,
  subscription_num: 2,
};

interface Rated {
  currency: string;
  official_website_rating_result: {
    official_website_amount: number;
    measure_id: number;
    product_rating_results: { id: string; official_website_amount: number }[];
  };
  optional_discount_rating_results?: {
    discount_id: string;
    discount_name: string;
    amount: number;
    discount_amount: number;
    best_offer: number;
  }[];
}

describe("BSS period price inquiry (subscribe-rate)", function () {
  const emulator = useEmulator();
  let emu: RunningEmulator;
  let global: string;
  beforeEach(function () {
    emu = emulator();
    emu.setPricing({ products: defaultProducts() });
    global = emu.issueToken({ scope: "domain" });
  });
  const inquire = (json: unknown, token = global) =>
    send(emu.url, { path: RATE, headers: { "X-Auth-Token": token }, json });

  function defaultProducts() {
    return [
      {
        cloudServiceType: "hws.service.type.dis",
        resourceType: "hws.resource.type.dis",
        resourceSpec: "dis.general.partition.duration.pkg",
        monthly: 10,
        yearly: 100,
      },
    ];
  }

  it("prices products from the table: unit price x periods x quantity, official amount only without discounts", async function () {
    const answer = await inquire({
      project_id: d.projectId,
      product_infos: [
        disPackage,
        { ...disPackage, id: "2", period_type: 3, period_num: 1, subscription_num: 1 },
      ],
    });
    assert.equal(answer.status, 200, answer.text);
    const body = answer.json() as Rated;
    assert.equal(body.currency, "CNY");
    assert.equal(body.official_website_rating_result.official_website_amount, 160);
    assert.deepEqual(
      body.official_website_rating_result.product_rating_results.map((r) => [
        r.id,
        r.official_website_amount,
      ]),
      [
        ["1", 60],
        ["2", 100],
      ],
    );
    assert.equal(body.optional_discount_rating_results, undefined);
  });

  it("rates each of the account's discounts and marks the largest best_offer 1", async function () {
    emu.setPricing({
      currency: "USD",
      products: defaultProducts(),
      discounts: [
        { discountId: "d-small", discountName: "Promotion", percentOff: 5 },
        { discountId: "d-big", discountName: "Business discount", percentOff: 20 },
      ],
    });
    const answer = await inquire({ project_id: d.projectId, product_infos: [disPackage] });
    assert.equal(answer.status, 200, answer.text);
    const body = answer.json() as Rated;
    assert.equal(body.currency, "USD");
    assert.deepEqual(
      body.optional_discount_rating_results?.map((r) => [
        r.discount_id,
        r.amount,
        r.discount_amount,
        r.best_offer,
      ]),
      [
        ["d-small", 57, 3, 0],
        ["d-big", 48, 12, 1],
      ],
    );
  });

  it("refuses an unknown service (CBC.3006), an unknown product (CBC.99006006) and a period not sold (CBC.30050008)", async function () {
    const cases: [object, number, string, RegExp][] = [
      [{ cloud_service_type: "hws.service.type.nope" }, 400, "CBC.3006", /Unsupported cloud service type/],
      [{ resource_spec: "no.such.spec" }, 400, "CBC.99006006", /product cannot be found.*no\.such\.spec/],
      [{ period_type: 0 }, 400, "CBC.30050008", /period type or number of periods/],
    ];
    for (const [change, status, code, message] of cases) {
      const answer = await inquire({
        project_id: d.projectId,
        product_infos: [{ ...disPackage, ...change }],
      });
      assert.equal(answer.status, status, answer.text);
      assert.equal(errorOf(answer).code, code);
      assert.match(errorOf(answer).message, message);
    }
  });

  it("validates the request: fields, ranges, unique ids, the caller's project", async function () {
    const bad = await inquire({
      project_id: d.projectId,
      product_infos: [{ ...disPackage, period_type: 5, extra: 1 }],
    });
    assert.equal(bad.status, 400);
    assert.match(
      errorOf(bad).message,
      /product_infos\[0\]\.period_type: must be 0 \(day\).*product_infos\[0\]\.extra: unknown field/,
    );
    const twice = await inquire({ project_id: d.projectId, product_infos: [disPackage, disPackage] });
    assert.match(errorOf(twice).message, /id: 1 is given twice/);
    const other = await inquire({
      project_id: "11111111111111111111111111111111",
      product_infos: [disPackage],
    });
    assert.match(errorOf(other).message, /not a project of this account/);
  });

  it("takes a domain-scoped token or AK/SK with X-Domain-Id; refuses a project-scoped token", async function () {
    const refused = await inquire({ project_id: d.projectId, product_infos: [disPackage] }, emu.issueToken());
    assert.equal(refused.status, 403);
    assert.equal(errorOf(refused).code, "APIGW.0302");
  });

  it("is throttled and fails with 5xx under the bss faults", async function () {
    emu.injectFaults(
      { kind: "throttle", count: 1, service: "bss" },
      { kind: "error", count: 1, status: 503, service: "bss" },
    );
    const throttled = await inquire({ project_id: d.projectId, product_infos: [disPackage] });
    assert.equal(throttled.status, 429);
    assert.equal(errorOf(throttled).code, "APIGW.0308");
    const failed = await inquire({ project_id: d.projectId, product_infos: [disPackage] });
    assert.equal(failed.status, 503);
    const ok = await inquire({ project_id: d.projectId, product_infos: [disPackage] });
    assert.equal(ok.status, 200);
  });

  it("keeps its table in the data file and across reset; the admin API reads and sets it", async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-pricing-"));
    try {
      const dataFile = path.join(dir, "state.json");
      const first = await startEmulator({
        dataFile,
        pricing: { products: defaultProducts().map((p) => ({ ...p, monthly: 7 })) },
      });
      first.reset();
      await first.stop();
      const second = await startEmulator({ dataFile });
      try {
        const read = await send(second.url, { method: "GET", path: "/__emulator/pricing" });
        const table = (read.json() as { pricing: { products: { monthly: number }[] } }).pricing;
        assert.equal(table.products[0]?.monthly, 7);
        const set = await send(second.url, { path: "/__emulator/pricing", json: { products: [{ bad: 1 }] } });
        assert.equal(set.status, 400);
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
