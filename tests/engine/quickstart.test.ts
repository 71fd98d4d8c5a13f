import * as assert from "node:assert/strict";
import { engineSuite, type EngineStack } from "../support/engine-suite";

// The quickstart (index.ts at the repository root) orders the DIS page's example order id by
// default: right for the local emulator, never to be posted anywhere else. No emulator: each
// preview stops (or, with an id of the operator's own and no price asked, runs) before a request.
describe("the quickstart keeps the page's example order id to the emulator", function () {
  const suite = engineSuite({ emulator: false });
  const credentials = {
    HW_REGION_NAME: "cn-north-4",
    HW_PROJECT_ID: "0123456789abcdef0123456789abcdef",
    HW_AUTH_TOKEN: "a-ready-token-000001",
  };
  const quickstart = (env: Record<string, string>): Promise<EngineStack> =>
    suite.program(".", { files: ["index.ts", "Pulumi.yaml"], env: { ...credentials, ...env } });

  for (const [where, env] of [
    ["Huawei Cloud's default endpoint", {}],
    ["an https endpoint", { HUAWEICLOUD_ORDERS_DIS_ENDPOINT: "https://dis.example.test" }],
    ["a loopback-looking host name", { HUAWEICLOUD_ORDERS_DIS_ENDPOINT: "https://127.0.0.1.example.test" }],
  ] as const) {
    it(`refuses to order it from ${where}, at preview`, async function () {
      const temp = await quickstart(env);
      await assert.rejects(
        temp.preview(),
        /the quickstart's DIS order id CS2511071586MU is the API page's example, for the local emulator only.*pulumi config set disOrderId/s,
      );
    });
  }

  it("previews an order id of the operator's own against any endpoint", async function () {
    const temp = await quickstart({ HUAWEICLOUD_ORDERS_DIS_ENDPOINT: "https://dis.example.test" });
    // Otherwise the preview would ask Huawei Cloud's BSS for the orders' price; tests stay on loopback.
    await temp.configure({ disOrderId: "CS0000000000OWN", "huaweicloud-orders:previewPrice": "false" });
    const preview = await temp.preview();
    assert.deepEqual(preview.changeSummary, { create: 3 });
  });
});
