import * as assert from "node:assert/strict";
import { DEMO_ACCOUNT, type RunningEmulator, startEmulator } from "../../emulator";
import {
  type Answer,
  DIS_PAGE_EXAMPLE,
  DIS_PATH,
  nextDisPath,
  errorOf,
  FakeClock,
  METASTUDIO_FROM_TABLE,
  METASTUDIO_PATH,
  officiallySigned,
  sdkDate,
  send,
  type SignOptions,
} from "./helpers";

const d = DEMO_ACCOUNT;
const MINUTE = 60_000;

describe("authentication on DIS and MetaStudio", function () {
  let emu: RunningEmulator;
  const clock = new FakeClock();

  before(async function () {
    emu = await startEmulator({ clock: clock.now });
  });
  after(async function () {
    await emu.stop();
  });
  beforeEach(function () {
    emu.reset();
  });

  const dis = (headers: Record<string, string>) =>
    send(emu.url, { path: DIS_PATH, headers, json: DIS_PAGE_EXAMPLE });
  const metastudio = (headers: Record<string, string>, path = METASTUDIO_PATH) =>
    send(emu.url, { path, headers, json: METASTUDIO_FROM_TABLE });

  /** DIS's failures come from the API gateway, in its shape, with the request id in the body. */
  function assertGatewayError(answer: Answer, status: number, code: string): void {
    assert.equal(answer.status, status, answer.text);
    const body = answer.json() as { error_code: string; error_msg: string; request_id: string };
    assert.equal(body.error_code, code);
    assert.equal(body.request_id, answer.headers["x-request-id"]);
  }

  describe("by IAM token (X-Auth-Token)", function () {
    it("accepts an unexpired token this IAM issued", async function () {
      const token = emu.issueToken();
      assert.equal((await dis({ "X-Auth-Token": token })).status, 200);
      assert.equal((await metastudio({ "X-Auth-Token": token })).status, 200);
      assert.deepEqual(
        emu.orders().map((o) => [o.service, o.auth]),
        [
          ["dis", "token"],
          ["metastudio", "token"],
        ],
      );
    });

    it("refuses a token past its lifetime: DIS 401 APIGW.0307, MetaStudio 401 MSS.00000001", async function () {
      const token = emu.issueToken();
      clock.advance(24 * 60 * MINUTE);
      try {
        const answer = await dis({ "X-Auth-Token": token });
        assertGatewayError(answer, 401, "APIGW.0307");
        assert.equal(errorOf(answer).message, "The token must be updated.");
        const ms = await metastudio({ "X-Auth-Token": token });
        assert.equal(ms.status, 401);
        assert.deepEqual(ms.json(), { error_code: "MSS.00000001", error_msg: "Unauthorized" });
        assert.equal(emu.orders().length, 0);
      } finally {
        clock.advance(-24 * 60 * MINUTE);
      }
    });

    it("accepts a token until the last millisecond of its lifetime", async function () {
      const token = emu.issueToken();
      clock.advance(24 * 60 * MINUTE - 1);
      try {
        assert.equal((await dis({ "X-Auth-Token": token })).status, 200);
      } finally {
        clock.advance(-(24 * 60 * MINUTE - 1));
      }
    });

    it("refuses a token expired through the admin API", async function () {
      const token = emu.issueToken();
      assert.equal(emu.expireTokens(), 1);
      assertGatewayError(await dis({ "X-Auth-Token": token }), 401, "APIGW.0307");
    });

    it("refuses a token this IAM never issued: DIS 401 APIGW.0301, MetaStudio 401 MSS.00000001", async function () {
      const forged = `MIIemu${"A".repeat(128)}`;
      const answer = await dis({ "X-Auth-Token": forged });
      assertGatewayError(answer, 401, "APIGW.0301");
      assert.match(errorOf(answer).message, /^Incorrect IAM authentication information: /);
      const ms = await metastudio({ "X-Auth-Token": forged });
      assert.deepEqual(
        [ms.status, ms.json()],
        [401, { error_code: "MSS.00000001", error_msg: "Unauthorized" }],
      );
    });

    it("refuses a request without any credential with 401", async function () {
      assertGatewayError(await dis({}), 401, "APIGW.0301");
      const ms = await metastudio({});
      assert.deepEqual(
        [ms.status, ms.json()],
        [401, { error_code: "MSS.00000001", error_msg: "Unauthorized" }],
      );
      assert.equal(emu.orders().length, 0);
    });

    it("refuses on MetaStudio a token of another project with 403 MSS.00000005", async function () {
      const token = emu.issueToken({ projectId: d.otherProjectId });
      const answer = await metastudio({ "X-Auth-Token": token });
      assert.deepEqual(
        [answer.status, answer.json()],
        [403, { error_code: "MSS.00000005", error_msg: "Forbidden" }],
      );
      assert.equal(emu.orders().length, 0);
    });

    it("records a DIS order in the project the token is scoped to (DIS's path names no project)", async function () {
      const token = emu.issueToken({ projectId: d.otherProjectId });
      assert.equal((await dis({ "X-Auth-Token": token })).status, 200);
      assert.equal(emu.orders()[0]?.projectId, d.otherProjectId);
    });

    it("refuses on DIS a token over the page's 32,768 characters with 400 DIS.4200", async function () {
      const answer = await dis({ "X-Auth-Token": "T".repeat(32_769) });
      assert.equal(answer.status, 400);
      assert.equal(errorOf(answer).code, "DIS.4200");
      assert.match(errorOf(answer).message, /X-Auth-Token: must be 1 to 32,768 characters/);
    });

    it("lets a 32,768-character token through the length check (and then refuses it as unknown)", async function () {
      assertGatewayError(await dis({ "X-Auth-Token": "T".repeat(32_768) }), 401, "APIGW.0301");
    });
  });

  describe("by AK/SK, signed with Huawei's official SDK signer (AKSKSigner.sign)", function () {
    const signed = (options: Partial<SignOptions> & { path: string }) =>
      officiallySigned({
        baseUrl: emu.url,
        headers: { "X-Project-Id": d.projectId, "X-Sdk-Date": sdkDate(clock.ms) },
        ...options,
      });
    const post = (path: string, s: { headers: Record<string, string>; body: string | undefined }) =>
      send(emu.url, { path, headers: s.headers, ...(s.body === undefined ? {} : { body: s.body }) });

    it("accepts a signed DIS order and records it under X-Project-Id", async function () {
      const answer = await post(DIS_PATH, signed({ path: DIS_PATH, data: DIS_PAGE_EXAMPLE }));
      assert.equal(answer.status, 200, answer.text);
      const [recorded] = emu.orders();
      assert.equal(recorded?.auth, "aksk");
      assert.equal(recorded?.projectId, d.projectId);
      assert.equal(recorded?.request.headers["authorization"], "[redacted]");
    });

    it("accepts a signed MetaStudio order", async function () {
      const answer = await post(
        METASTUDIO_PATH,
        signed({ path: METASTUDIO_PATH, data: METASTUDIO_FROM_TABLE }),
      );
      assert.equal(answer.status, 200, answer.text);
    });

    it("accepts a signature over a query string with repeated and reserved characters", async function () {
      const query = { b: "2", a: ["z", "y"], "sp ace": "x y", mark: "!*'()", empty: "" };
      const s = signed({ path: DIS_PATH, data: {}, query });
      const raw = "b=2&a=z&a=y&sp%20ace=x%20y&mark=!*'()&empty=";
      const answer = await post(`${DIS_PATH}?${raw}`, s);
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(emu.orders()[0]?.request.query, {
        b: "2",
        a: ["z", "y"],
        "sp ace": "x y",
        mark: "!*'()",
        empty: "",
      });
    });

    it("accepts a temporary AK with its X-Security-Token", async function () {
      const s = signed({
        path: DIS_PATH,
        data: {},
        accessKey: d.temporaryAccessKey,
        secretKey: d.temporarySecretKey,
        headers: {
          "X-Project-Id": d.projectId,
          "X-Sdk-Date": sdkDate(clock.ms),
          "X-Security-Token": d.securityToken,
        },
      });
      assert.equal((await post(DIS_PATH, s)).status, 200);
      assert.equal(emu.orders()[0]?.request.headers["x-security-token"], "[redacted]");
    });

    it("accepts an X-Sdk-Date exactly 15 minutes from the server's clock, either way", async function () {
      for (const offset of [-15 * MINUTE, 15 * MINUTE]) {
        const path = nextDisPath();
        const s = signed({
          path,
          data: {},
          headers: { "X-Project-Id": d.projectId, "X-Sdk-Date": sdkDate(clock.ms + offset) },
        });
        assert.equal((await post(path, s)).status, 200, `offset ${offset}`);
      }
    });

    describe("refuses with 401 (DIS APIGW.0301, MetaStudio MSS.00000001) and records nothing", function () {
      const refusals: [string, () => Promise<Answer>][] = [
        [
          "a tampered body",
          () => {
            const s = signed({ path: DIS_PATH, data: { purchaseMode: 1 } });
            return post(DIS_PATH, { ...s, body: JSON.stringify({ purchaseMode: 2 }) });
          },
        ],
        [
          "a tampered signed header",
          () => {
            const s = signed({
              path: DIS_PATH,
              data: {},
              headers: { "X-Project-Id": d.projectId, "X-Sdk-Date": sdkDate(clock.ms), "X-Client-Note": "a" },
            });
            return post(DIS_PATH, { ...s, headers: { ...s.headers, "X-Client-Note": "b" } });
          },
        ],
        ["a tampered path", () => post("/v2/orders/CS2511071586MV", signed({ path: DIS_PATH, data: {} }))],
        [
          "a tampered query",
          () => post(`${DIS_PATH}?a=2`, signed({ path: DIS_PATH, data: {}, query: { a: "1" } })),
        ],
        [
          "a tampered X-Sdk-Date",
          () => {
            const s = signed({ path: DIS_PATH, data: {} });
            return post(DIS_PATH, {
              ...s,
              headers: { ...s.headers, "X-Sdk-Date": sdkDate(clock.ms + 1000) },
            });
          },
        ],
        [
          "an X-Sdk-Date 15 minutes and 1 second in the past",
          () =>
            post(
              DIS_PATH,
              signed({
                path: DIS_PATH,
                data: {},
                headers: {
                  "X-Project-Id": d.projectId,
                  "X-Sdk-Date": sdkDate(clock.ms - 15 * MINUTE - 1000),
                },
              }),
            ),
        ],
        [
          "an X-Sdk-Date 16 minutes in the future",
          () =>
            post(
              DIS_PATH,
              signed({
                path: DIS_PATH,
                data: {},
                headers: { "X-Project-Id": d.projectId, "X-Sdk-Date": sdkDate(clock.ms + 16 * MINUTE) },
              }),
            ),
        ],
        [
          "a wrong secret key",
          () => post(DIS_PATH, signed({ path: DIS_PATH, data: {}, secretKey: "not-the-secret-key" })),
        ],
        [
          "an unknown AK",
          () => post(DIS_PATH, signed({ path: DIS_PATH, data: {}, accessKey: "UNKNOWNACCESSKEY0000" })),
        ],
        [
          "a temporary AK without X-Security-Token",
          () =>
            post(
              DIS_PATH,
              signed({
                path: DIS_PATH,
                data: {},
                accessKey: d.temporaryAccessKey,
                secretKey: d.temporarySecretKey,
              }),
            ),
        ],
        [
          "a temporary AK with a wrong X-Security-Token",
          () =>
            post(
              DIS_PATH,
              signed({
                path: DIS_PATH,
                data: {},
                accessKey: d.temporaryAccessKey,
                secretKey: d.temporarySecretKey,
                headers: {
                  "X-Project-Id": d.projectId,
                  "X-Sdk-Date": sdkDate(clock.ms),
                  "X-Security-Token": "guess",
                },
              }),
            ),
        ],
        [
          "no X-Project-Id",
          () =>
            post(
              DIS_PATH,
              signed({ path: DIS_PATH, data: {}, headers: { "X-Sdk-Date": sdkDate(clock.ms) } }),
            ),
        ],
        [
          "no X-Sdk-Date",
          () => {
            const s = signed({ path: DIS_PATH, data: {} });
            const { ["X-Sdk-Date"]: _dropped, ...headers } = s.headers;
            return post(DIS_PATH, { ...s, headers });
          },
        ],
        [
          "a malformed Authorization header",
          () => {
            const s = signed({ path: DIS_PATH, data: {} });
            return post(DIS_PATH, {
              ...s,
              headers: { ...s.headers, Authorization: "SDK-HMAC-SHA256 Access=x" },
            });
          },
        ],
      ];
      for (const [name, attempt] of refusals) {
        it(name, async function () {
          const answer = await attempt();
          assertGatewayError(answer, 401, "APIGW.0301");
          assert.match(errorOf(answer).message, /^Incorrect IAM authentication information: /);
          assert.equal(emu.orders().length, 0);
          assert.ok(emu.requests().at(-1)?.note, "the request log says why");
        });
      }

      it("on MetaStudio too, with its own 401 body", async function () {
        const s = signed({
          path: METASTUDIO_PATH,
          data: METASTUDIO_FROM_TABLE,
          secretKey: "not-the-secret-key",
        });
        const answer = await post(METASTUDIO_PATH, s);
        assert.deepEqual(
          [answer.status, answer.json()],
          [401, { error_code: "MSS.00000001", error_msg: "Unauthorized" }],
        );
      });
    });

    it("refuses on MetaStudio an X-Project-Id other than the path's project with 403 MSS.00000005", async function () {
      const s = signed({
        path: METASTUDIO_PATH,
        data: METASTUDIO_FROM_TABLE,
        headers: { "X-Project-Id": d.otherProjectId, "X-Sdk-Date": sdkDate(clock.ms) },
      });
      const answer = await post(METASTUDIO_PATH, s);
      assert.deepEqual(
        [answer.status, answer.json()],
        [403, { error_code: "MSS.00000005", error_msg: "Forbidden" }],
      );
    });

    it("refuses on DIS an X-Project-Id that is not the account's with 403 APIGW.0302", async function () {
      const s = signed({
        path: DIS_PATH,
        data: {},
        headers: { "X-Project-Id": "99999999999999999999999999999999", "X-Sdk-Date": sdkDate(clock.ms) },
      });
      assertGatewayError(await post(DIS_PATH, s), 403, "APIGW.0302");
    });
  });

  it("takes the token when a request carries both a token and a signature", async function () {
    const s = officiallySigned({ baseUrl: emu.url, path: DIS_PATH, data: {}, secretKey: "wrong" });
    const answer = await send(emu.url, {
      path: DIS_PATH,
      headers: { ...s.headers, "X-Auth-Token": emu.issueToken() },
      body: s.body ?? "",
    });
    assert.equal(answer.status, 200);
    assert.equal(emu.orders()[0]?.auth, "token");
  });
});
