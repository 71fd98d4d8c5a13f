import * as assert from "node:assert/strict";
import { DEMO_ACCOUNT, type RunningEmulator } from "../../emulator";
import {
  bssPrices,
  HuaweiCloudClient,
  HuaweiCloudError,
  resolveSettings,
  UnexpectedAnswerError,
  type ClientSettingsInput,
} from "../../provider/client";
import { useEmulator } from "../emulator/helpers";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server";

const d = DEMO_ACCOUNT;
const product: bssPrices.PeriodProduct = {
  id: "1",
  cloudServiceType: "hws.service.type.dis",
  resourceType: "hws.resource.type.dis",
  resourceSpec: "dis.general.partition.duration.pkg",
  region: "cn-north-4",
  periodType: 2,
  periodNum: 2,
  subscriptionNum: 1,
};

describe("the period price inquiry client (BSS ListRateOnPeriodDetail)", function () {
  describe("against the emulator, with each kind of credential", function () {
    const emulator = useEmulator();
    let emu: RunningEmulator;
    beforeEach(function () {
      emu = emulator();
    });
    const client = (credentials: ClientSettingsInput) =>
      new HuaweiCloudClient(
        resolveSettings({
          explicit: {
            region: d.region,
            projectId: d.projectId,
            authUrl: emu.url,
            endpoints: { bss: emu.url },
            ...credentials,
          },
        }),
      );

    it("ready tokens, password and AK/SK all get the same price", async function () {
      const kinds: ClientSettingsInput[] = [
        { token: emu.issueToken(), domainAuthToken: emu.issueToken({ scope: "domain" }) },
        { userName: d.userName, password: d.password, domainName: d.domainName },
        { accessKey: d.accessKey, secretKey: d.secretKey },
      ];
      for (const credentials of kinds) {
        const price = await bssPrices.periodPrice(client(credentials), d.projectId, [product]);
        assert.equal(price.officialAmount, 20);
        assert.equal(price.currency, "CNY");
        assert.equal(price.bestOffer, undefined);
        assert.ok(price.requestId);
      }
    });

    it("names the best offer among the discounts", async function () {
      emu.setPricing({
        products: [
          {
            cloudServiceType: product.cloudServiceType,
            resourceType: product.resourceType,
            resourceSpec: product.resourceSpec,
            monthly: 10,
            yearly: 100,
          },
        ],
        discounts: [
          { discountId: "a", discountName: "Promotion", percentOff: 10 },
          { discountId: "b", discountName: "Business discount", percentOff: 25 },
        ],
      });
      const price = await bssPrices.periodPrice(
        client({ accessKey: d.accessKey, secretKey: d.secretKey }),
        d.projectId,
        [product],
      );
      assert.equal(price.offers.length, 2);
      assert.deepEqual(price.bestOffer, {
        discountId: "b",
        name: "Business discount",
        amount: 15,
        discountAmount: 5,
        best: true,
      });
    });

    it("an unknown product is a HuaweiCloudError with BSS's code and the request id", async function () {
      await assert.rejects(
        bssPrices.periodPrice(client({ accessKey: d.accessKey, secretKey: d.secretKey }), d.projectId, [
          { ...product, resourceSpec: "no.such.spec" },
        ]),
        (err: unknown) =>
          err instanceof HuaweiCloudError &&
          err.metadata.errorCode === bssPrices.PRODUCT_NOT_FOUND &&
          err.metadata.httpStatus === 400 &&
          /ListRateOnPeriodDetail/.test(err.message) &&
          /X-Request-Id/.test(err.message),
      );
    });
  });

  describe("answers that are not a price", function () {
    let server: ScriptedServer;
    let client: HuaweiCloudClient;
    beforeEach(async function () {
      server = await startScriptedServer();
      client = new HuaweiCloudClient(
        resolveSettings({
          explicit: {
            region: "cn-north-4",
            token: "ready-project-token-0001",
            domainAuthToken: "ready-domain-token-0001",
            endpoints: { bss: server.url },
            projectId: d.projectId,
          },
        }),
        { sleep: async () => undefined },
      );
    });
    afterEach(async function () {
      await server.close();
    });

    const refused = (body: unknown, problem: RegExp) => async () => {
      server.script({ respond: 200, body });
      await assert.rejects(
        bssPrices.periodPrice(client, d.projectId, [product]),
        (err: unknown) => err instanceof UnexpectedAnswerError && problem.test(err.message),
      );
    };

    it("sends the request the model describes", async function () {
      server.script({
        respond: 200,
        body: { official_website_rating_result: { official_website_amount: 3.5 } },
      });
      const price = await bssPrices.periodPrice(client, d.projectId, [
        { ...product, availableZone: "cn-north-4a" },
      ]);
      // The model: an empty currency means CNY.
      assert.equal(price.currency, "CNY");
      assert.equal(price.officialAmount, 3.5);
      const sent = server.received[0];
      assert.ok(sent);
      assert.equal(sent.url, "/v2/bills/ratings/period-resources/subscribe-rate");
      assert.equal(sent.headers["x-auth-token"], "ready-domain-token-0001");
      assert.deepEqual(JSON.parse(sent.body), {
        project_id: d.projectId,
        product_infos: [
          {
            id: "1",
            cloud_service_type: "hws.service.type.dis",
            resource_type: "hws.resource.type.dis",
            resource_spec: "dis.general.partition.duration.pkg",
            region: "cn-north-4",
            available_zone: "cn-north-4a",
            period_type: 2,
            period_num: 2,
            subscription_num: 1,
          },
        ],
      });
    });

    it(
      "an answer without the official amount is reported, not priced",
      refused({ currency: "CNY" }, /official_website_rating_result/),
    );
    it(
      "a negative official amount is reported",
      refused(
        { official_website_rating_result: { official_website_amount: -1 } },
        /official_website_amount: must not be negative/,
      ),
    );
    it(
      "a negative or missing offer amount is reported",
      refused(
        {
          official_website_rating_result: { official_website_amount: 10 },
          optional_discount_rating_results: [
            { discount_id: "x", amount: -2, best_offer: 1 },
            { discount_id: "y" },
          ],
        },
        /optional_discount_rating_results\.0\.amount: must not be negative.*optional_discount_rating_results\.1\.amount/,
      ),
    );
    it(
      "amounts in another unit than the currency's (measure_id not 1) are reported",
      refused(
        { official_website_rating_result: { official_website_amount: 1000, measure_id: 3 } },
        /measure_id/,
      ),
    );

    it("retries a 5xx like a read, then prices", async function () {
      server.script({ respond: 503, body: { error_code: "CBC.0999", error_msg: "busy" } });
      server.script({
        respond: 200,
        body: { official_website_rating_result: { official_website_amount: 1 } },
      });
      const price = await bssPrices.periodPrice(client, d.projectId, [product]);
      assert.equal(price.officialAmount, 1);
      assert.equal(server.received.length, 2);
    });
  });
});
