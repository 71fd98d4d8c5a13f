import * as assert from "node:assert/strict";
import { DEMO_ACCOUNT, type RunningEmulator } from "../../emulator";
import { errorOf, METASTUDIO_FROM_TABLE, METASTUDIO_PATH, send, useEmulator } from "./helpers";

const SIGN_PATH = `/v1/${DEMO_ACCOUNT.projectId}/tenants/special-agreements/signed`;
const AUTO_PAY_ORDER = {
  cloud_services: [{ ...METASTUDIO_FROM_TABLE.cloud_services[0], is_auto_pay: 1 }],
};

// MetaStudio "Signing a Special Agreement" and what the AUTO_PAY agreement does to an auto-pay order
// (emulator/README.md, Billing, "The auto-pay agreement").
describe("MetaStudio: the AUTO_PAY agreement (POST /v1/{project_id}/tenants/special-agreements/signed)", function () {
  let emu: RunningEmulator;
  let token: string;
  const post = (path: string, body: unknown, headers: Record<string, string> = { "X-Auth-Token": token }) =>
    send(emu.url, { path, headers, json: body });
  const admin = (body: unknown) => send(emu.url, { path: "/__emulator/agreements", json: body });

  const emulator = useEmulator();
  beforeEach(function () {
    emu = emulator();
    token = emu.issueToken();
  });

  it("the demo account starts signed, so its auto-pay orders are paid at once; reset restores it", async function () {
    assert.equal(emu.autoPayAgreementSigned(), true);
    await post(METASTUDIO_PATH, AUTO_PAY_ORDER);
    assert.equal(emu.billingOrders()[0]?.status, 3);
    emu.setAutoPayAgreement(false);
    emu.reset();
    assert.equal(emu.autoPayAgreementSigned(), true);
  });

  it("unsigned, an auto-pay order waits in pending payment; signing afterwards pays nothing already placed", async function () {
    emu.setAutoPayAgreement(false);
    await post(METASTUDIO_PATH, AUTO_PAY_ORDER);
    assert.equal(emu.billingOrders()[0]?.status, 6);
    const signed = await post(SIGN_PATH, { agreement_type: "AUTO_PAY", to_sign: true });
    assert.equal(signed.status, 200);
    assert.equal(emu.billingOrders()[0]?.status, 6);
    await post(METASTUDIO_PATH, AUTO_PAY_ORDER);
    assert.deepEqual(
      emu.billingOrders().map((o) => o.status),
      [6, 3],
    );
  });

  it("signs and cancels, answering as the SDK's SignSpecialAgreementResponse", async function () {
    emu.setAutoPayAgreement(false);
    const signed = await post(SIGN_PATH, { agreement_type: "AUTO_PAY", to_sign: true });
    assert.equal(signed.status, 200);
    assert.match(String(signed.headers["x-request-id"]), /^[0-9a-f]{32}$/);
    const body = signed.json() as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), [
      "agreement_type",
      "current_version",
      "signed_version",
      "signed_time",
    ]);
    assert.equal(body["agreement_type"], "AUTO_PAY");
    assert.equal(body["signed_version"], body["current_version"]);
    assert.match(String(body["signed_time"]), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(emu.autoPayAgreementSigned(), true);

    const cancelled = await post(SIGN_PATH, { agreement_type: "AUTO_PAY", to_sign: false });
    assert.deepEqual(Object.keys(cancelled.json() as object), ["agreement_type", "current_version"]);
    assert.equal(emu.autoPayAgreementSigned(), false);
  });

  it("refuses a malformed body (400 MSS.00000003) and another project's token (403 MSS.00000005)", async function () {
    for (const body of [{ agreement_type: "OTHER", to_sign: true }, { agreement_type: "AUTO_PAY" }, {}]) {
      const answer = await post(SIGN_PATH, body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(errorOf(answer).code, "MSS.00000003");
    }
    const other = await post(SIGN_PATH.replace(DEMO_ACCOUNT.projectId, DEMO_ACCOUNT.otherProjectId), {
      agreement_type: "AUTO_PAY",
      to_sign: true,
    });
    assert.equal(other.status, 403);
    assert.equal(errorOf(other).code, "MSS.00000005");
    const anonymous = await post(SIGN_PATH, { agreement_type: "AUTO_PAY", to_sign: true }, {});
    assert.equal(anonymous.status, 401);
  });

  it("the admin API shows and changes it, as the account's owner in the console", async function () {
    const cancelled = await admin({ signed: false });
    assert.equal(cancelled.status, 200);
    assert.deepEqual(cancelled.json(), {
      agreements: [
        {
          domainName: DEMO_ACCOUNT.domainName,
          domainId: DEMO_ACCOUNT.domainId,
          agreementType: "AUTO_PAY",
          signed: false,
        },
      ],
    });
    assert.equal((await admin({ signed: true, domainName: "nobody" })).status, 404);
    assert.equal((await admin({ signed: "yes" })).status, 400);
    const shown = await send(emu.url, { method: "GET", path: "/__emulator/agreements" });
    assert.deepEqual(
      (shown.json() as { agreements: { signed: boolean }[] }).agreements.map((a) => a.signed),
      [false],
    );
  });
});
