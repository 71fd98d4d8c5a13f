import * as assert from "node:assert/strict";
import { once } from "node:events";
import * as http from "node:http";
import * as net from "node:net";
import { DEMO_ACCOUNT, type RunningEmulator, startEmulator } from "../../emulator";
import {
  type Answer,
  DIS_PAGE_EXAMPLE,
  DIS_PATH,
  nextDisPath,
  errorOf,
  METASTUDIO_FROM_TABLE,
  METASTUDIO_PATH,
  send,
  tokenRequest,
} from "./helpers";

const CAP = 64 * 1024;

/** Sends `head` and `firstBytes` of a body declared as `declaredLength`, and resolves on the answer. */
async function sendPartially(
  url: string,
  declaredLength: number,
  firstBytes: Buffer,
  token: string,
): Promise<number> {
  const req = http.request(new URL(DIS_PATH, url), {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Content-Length": String(declaredLength),
      "X-Auth-Token": token,
    },
  });
  req.on("error", () => undefined); // the server closes the connection after refusing
  req.write(firstBytes);
  const [res] = (await once(req, "response")) as [http.IncomingMessage];
  res.resume();
  req.destroy();
  return res.statusCode ?? 0;
}

/** Writes raw bytes on a fresh connection and returns everything the server answers. */
async function raw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await once(socket, "connect");
  socket.write(bytes);
  const chunks: Buffer[] = [];
  socket.on("data", (c: Buffer) => chunks.push(c));
  await once(socket, "close");
  return Buffer.concat(chunks).toString("utf8");
}

describe("HTTP behaviour: bad input is answered cleanly and the server keeps serving", function () {
  let emu: RunningEmulator;
  let token: string;

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
  afterEach(async function () {
    const still = await send(emu.url, { path: nextDisPath(), headers: { "X-Auth-Token": token }, json: {} });
    assert.equal(still.status, 200, "the server still serves after the test");
  });

  describe("a body that is not JSON is refused with 400", function () {
    it("by DIS with DIS.4200", async function () {
      const answer = await send(emu.url, {
        path: DIS_PATH,
        headers: { "X-Auth-Token": token, "Content-Type": "application/json" },
        body: '{"cloudServices": {',
      });
      assert.equal(answer.status, 400);
      assert.deepEqual(errorOf(answer), {
        code: "DIS.4200",
        message: "Invalid request. body: is not valid JSON",
      });
    });

    it("by MetaStudio with MSS.00000003", async function () {
      const answer = await send(emu.url, {
        path: METASTUDIO_PATH,
        headers: { "X-Auth-Token": token, "Content-Type": "application/json" },
        body: "not json",
      });
      assert.deepEqual([answer.status, errorOf(answer).code], [400, "MSS.00000003"]);
    });
  });

  describe("a Content-Type other than application/json is refused with 400", function () {
    it("by DIS", async function () {
      const answer = await send(emu.url, {
        path: DIS_PATH,
        headers: { "X-Auth-Token": token, "Content-Type": "text/plain" },
        body: JSON.stringify(DIS_PAGE_EXAMPLE),
      });
      assert.deepEqual([answer.status, errorOf(answer).code], [400, "DIS.4200"]);
      assert.match(errorOf(answer).message, /Content-Type: must be application\/json/);
    });

    it("by MetaStudio, also when it is missing", async function () {
      const answer = await send(emu.url, {
        path: METASTUDIO_PATH,
        headers: { "X-Auth-Token": token },
        body: JSON.stringify(METASTUDIO_FROM_TABLE),
      });
      assert.deepEqual([answer.status, errorOf(answer).code], [400, "MSS.00000003"]);
    });

    it("by IAM", async function () {
      const answer = await send(emu.url, {
        path: "/v3/auth/tokens",
        headers: { "Content-Type": "text/json" },
        body: "{}",
      });
      assert.equal(answer.status, 400);
    });

    it("while application/json with parameters is accepted", async function () {
      const answer = await send(emu.url, {
        path: DIS_PATH,
        headers: { "X-Auth-Token": token, "Content-Type": "Application/JSON; charset=utf-8" },
        body: "{}",
      });
      assert.equal(answer.status, 200);
    });
  });

  describe(`a body over ${CAP} bytes`, function () {
    it("is refused with 413 APIGW.0201 and records nothing", async function () {
      const answer = await send(emu.url, {
        path: DIS_PATH,
        headers: { "X-Auth-Token": token, "Content-Type": "application/json" },
        body: Buffer.alloc(CAP + 1, " "),
      });
      assert.equal(answer.status, 413);
      assert.deepEqual(errorOf(answer), { code: "APIGW.0201", message: "Request entity too large." });
      assert.equal(emu.orders().length, 0);
    });

    it("is refused on its declared length, before it is sent", async function () {
      const status = await sendPartially(emu.url, 10 * 1024 * 1024, Buffer.alloc(1024, " "), token);
      assert.equal(status, 413);
    });

    it("is refused as it streams past the limit when its length is not declared", async function () {
      const req = http.request(new URL(DIS_PATH, emu.url), {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Auth-Token": token },
      });
      req.on("error", () => undefined);
      for (let i = 0; i < 5; i++) req.write(Buffer.alloc(16 * 1024, " "));
      const [res] = (await once(req, "response")) as [http.IncomingMessage];
      res.resume();
      req.destroy();
      assert.equal(res.statusCode, 413);
    });

    it(`while a body of exactly ${CAP} bytes is read`, async function () {
      const body = JSON.stringify(DIS_PAGE_EXAMPLE);
      const answer = await send(emu.url, {
        path: DIS_PATH,
        headers: { "X-Auth-Token": token, "Content-Type": "application/json" },
        body: body.padEnd(CAP, " "),
      });
      assert.equal(answer.status, 200);
    });
  });

  it("answers an unknown path with 404 APIGW.0101 in JSON", async function () {
    const answer = await send(emu.url, { method: "GET", path: "/v2/streams" });
    assert.equal(answer.status, 404);
    assert.match(String(answer.headers["content-type"]), /^application\/json/);
    assert.equal(errorOf(answer).code, "APIGW.0101");
    assert.equal(emu.requests().at(-1)?.service, "unknown");
  });

  it("answers a trailing slash after the order id as an unknown path", async function () {
    assert.equal((await send(emu.url, { path: `${DIS_PATH}/`, json: {} })).status, 404);
  });

  it("answers a wrong method with 405 and Allow: POST", async function () {
    for (const path of [DIS_PATH, METASTUDIO_PATH, "/v3/auth/tokens"]) {
      const answer = await send(emu.url, { method: "GET", path, headers: { "X-Auth-Token": token } });
      assert.equal(answer.status, 405, path);
      assert.equal(answer.headers["allow"], "POST");
      assert.equal(errorOf(answer).code, "APIGW.0101");
    }
  });

  it("answers malformed HTTP with 400 and a request id", async function () {
    const answer = await raw(emu.url, "THIS IS NOT HTTP\r\n\r\n");
    assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(answer, /\r\nX-Request-Id: [0-9a-f]{32}\r\n/);
  });

  it("answers headers over 64 KiB with 431", async function () {
    const answer = await raw(
      emu.url,
      `POST ${DIS_PATH} HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(70_000)}\r\n\r\n`,
    );
    assert.match(answer, /^HTTP\/1\.1 431 /);
  });

  it("survives a client that disconnects halfway through a body", async function () {
    const req = http.request(new URL(DIS_PATH, emu.url), {
      method: "POST",
      headers: { "Content-Type": "application/json", "Content-Length": "1000", "X-Auth-Token": token },
    });
    req.on("error", () => undefined);
    req.write("{");
    await once(req, "socket");
    req.destroy();
  });

  it("puts a distinct X-Request-Id on every response, errors, IAM and admin included", async function () {
    const answers: Answer[] = [
      await send(emu.url, { path: DIS_PATH, headers: { "X-Auth-Token": token }, json: DIS_PAGE_EXAMPLE }),
      await send(emu.url, { path: DIS_PATH, headers: { "X-Auth-Token": token }, json: { x: 1 } }),
      await send(emu.url, { path: DIS_PATH, json: {} }),
      await send(emu.url, {
        path: METASTUDIO_PATH,
        headers: { "X-Auth-Token": token },
        json: METASTUDIO_FROM_TABLE,
      }),
      await send(emu.url, { path: METASTUDIO_PATH, headers: { "X-Auth-Token": token }, json: {} }),
      await send(emu.url, {
        path: "/v3/auth/tokens",
        json: tokenRequest({ user: "x", password: "y", domain: { name: "z" } }),
      }),
      await send(emu.url, { path: "/v3/auth/tokens", json: {} }),
      await send(emu.url, { method: "GET", path: "/nowhere" }),
      await send(emu.url, { method: "DELETE", path: DIS_PATH }),
      await send(emu.url, { path: DIS_PATH, body: Buffer.alloc(CAP + 10) }),
      await send(emu.url, { method: "GET", path: "/__emulator/orders" }),
      await send(emu.url, { method: "GET", path: "/__emulator/nothing" }),
    ];
    const ids = answers.map((a) => String(a.headers["x-request-id"]));
    for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
    assert.equal(new Set(ids).size, ids.length);
  });

  it("logs each request with its status and request id, less its secrets", async function () {
    const answer = await send(emu.url, {
      path: DIS_PATH,
      headers: { "X-Auth-Token": token },
      json: { x: 1 },
    });
    const entry = emu.requests().at(-1);
    assert.ok(entry);
    assert.equal(entry.requestId, answer.headers["x-request-id"]);
    assert.equal(entry.service, "dis");
    assert.equal(entry.status, 400);
    assert.equal(entry.errorCode, "DIS.4200");
    assert.deepEqual(entry.body, { x: 1 });
    assert.equal(entry.headers["x-auth-token"], "[redacted]");
    assert.ok(!JSON.stringify(emu.requests()).includes(token));
    assert.ok(!JSON.stringify(emu.requests()).includes(DEMO_ACCOUNT.password));
  });
});
