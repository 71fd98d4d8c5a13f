import * as assert from "node:assert/strict";
import { stackFromProgram, type TempStack } from "../support/engine";

// The quickstart (index.ts at the repository root) orders the DIS page's example order id by
// default: right for the local emulator, never to be posted anywhere else.
describe("the quickstart keeps the page's example order id to the emulator", function () {
  const credentials = {
    HW_REGION_NAME: "cn-north-4",
    HW_PROJECT_ID: "0123456789abcdef0123456789abcdef",
    HW_AUTH_TOKEN: "a-ready-token-000001",
  };
  async function quickstart(envVars: Record<string, string>): Promise<TempStack> {
    return stackFromProgram(".", "test", undefined, { files: ["index.ts", "Pulumi.yaml"], envVars });
  }

  for (const [where, env] of [
    ["Huawei Cloud's default endpoint", {}],
    ["an https endpoint", { HUAWEICLOUD_ORDERS_DIS_ENDPOINT: "https://dis.example.test" }],
    ["a loopback-looking host name", { HUAWEICLOUD_ORDERS_DIS_ENDPOINT: "https://127.0.0.1.example.test" }],
  ] as const) {
    it(`refuses to order it from ${where}, at preview`, async function () {
      const temp = await quickstart({ ...credentials, ...env });
      try {
        await assert.rejects(
          temp.stack.preview(),
          /the quickstart's DIS order id CS2511071586MU is the API page's example, for the local emulator only.*pulumi config set disOrderId/s,
        );
      } finally {
        await temp.dispose();
      }
    });
  }

  it("previews an order id of the operator's own against any endpoint", async function () {
    const temp = await quickstart({
      ...credentials,
      HUAWEICLOUD_ORDERS_DIS_ENDPOINT: "https://dis.example.test",
    });
    try {
      await temp.stack.setConfig("disOrderId", { value: "CS0000000000OWN" });
      // Otherwise the preview would ask Huawei Cloud's BSS for the orders' price; tests stay on loopback.
      await temp.stack.setConfig("huaweicloud-orders:previewPrice", { value: "false" });
      const preview = await temp.stack.preview();
      assert.deepEqual(preview.changeSummary, { create: 3 });
    } finally {
      await temp.dispose();
    }
  });
});
