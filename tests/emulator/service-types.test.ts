import * as assert from "node:assert/strict";
import { errorOf, METASTUDIO_PATH, metastudioOrderBody, send, useEmulator } from "./helpers";

// BSS's service type list (emulator/README.md "Service types"), the code MetaStudio's orders carry,
// and the resource type code of its line items (MetaStudio's "Resource Types" page).
describe("emulator: BSS service types", function () {
  const emulator = useEmulator({ serviceTypeCodes: { metastudio: "hws.service.type.mss" } });
  const types = (query = "", headers: Record<string, string> = {}) => {
    const emu = emulator();
    return send(emu.url, {
      method: "GET",
      path: `/v2/products/service-types${query}`,
      headers: { "X-Auth-Token": emu.issueToken({ scope: "domain" }), ...headers },
    });
  };
  interface Listed {
    total_count: number;
    service_types: { service_type_name: string; service_type_code: string; abbreviation: string }[];
  }

  it("lists the catalogue in pages (default 10), by name, in either language; the start-up code is MetaStudio's", async function () {
    const all = await types("?limit=1000", { "X-Language": "en_US" });
    assert.equal(all.status, 200, all.text);
    const listed = all.json() as Listed;
    assert.equal(listed.total_count, 3);
    assert.deepEqual(
      listed.service_types.map((t) => [t.abbreviation, t.service_type_code, t.service_type_name]),
      [
        ["DIS", "hws.service.type.dis", "Data Ingestion Service"],
        ["MetaStudio", "hws.service.type.mss", "MetaStudio"],
        ["OBS", "hws.service.type.obs", "Object Storage Service"],
      ],
    );
    const page = (await types("?limit=1&offset=1")).json() as Listed;
    assert.deepEqual([page.total_count, page.service_types.map((t) => t.abbreviation)], [3, ["MetaStudio"]]);
    assert.match(page.service_types[0]?.service_type_name ?? "", /数字内容生产线/, "zh_CN by default");
    const named = (await types("?service_type_name=studio", { "X-Language": "en_US" })).json() as Listed;
    assert.deepEqual(
      named.service_types.map((t) => t.service_type_code),
      ["hws.service.type.mss"],
    );
    for (const bad of ["?limit=0", "?limit=1001", "?offset=-1"]) {
      const refused = await types(bad);
      assert.equal(refused.status, 400, bad);
      assert.equal(errorOf(refused).code, "CBC.0100");
    }
    assert.equal((await types("", { "X-Language": "fr_FR" })).status, 400);
  });

  it("orders carry the code set at the time; a MetaStudio line's resource type is its spec code; reset restores the start-up code", async function () {
    const emu = emulator();
    emu.setServiceTypeCode("metastudio", "hws.service.type.other");
    const placed = await send(emu.url, {
      path: METASTUDIO_PATH,
      headers: { "X-Auth-Token": emu.issueToken() },
      json: metastudioOrderBody({}),
    });
    assert.equal(placed.status, 200, placed.text);
    const [order] = emu.billingOrders();
    assert.equal(order?.serviceTypeCode, "hws.service.type.other");
    assert.equal(
      order?.lines[0]?.resourceTypeCode,
      "hws.resource.type.metastudio.modeling.avatarlive.channel",
    );
    const listed = (await types("?limit=1000")).json() as Listed;
    assert.ok(listed.service_types.some((t) => t.service_type_code === "hws.service.type.other"));
    emu.reset();
    const again = (await types("?limit=1000")).json() as Listed;
    assert.ok(again.service_types.some((t) => t.service_type_code === "hws.service.type.mss"));
  });
});
