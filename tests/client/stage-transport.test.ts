import * as assert from "node:assert/strict";
import * as net from "node:net";
import { GotTransport, USER_AGENT, type WireRequest } from "../../provider/client";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server";

// The transport alone: one exchange, whatever the status, and failures in the retry policy's terms.
describe("the transport stage (got)", function () {
  let server: ScriptedServer;
  let transport: GotTransport;
  beforeEach(async function () {
    server = await startScriptedServer();
    transport = new GotTransport();
  });
  afterEach(async function () {
    transport.close();
    await server.close();
  });

  const wire = (url: string, extra: Partial<WireRequest> = {}): WireRequest => ({
    method: "POST",
    url: `${url}/v2/orders?a=1`,
    headers: { "X-Auth-Token": "token-0001", "Content-Type": "application/json;charset=UTF-8" },
    body: '{"a":1}',
    timeouts: { connectMs: 2_000, responseMs: 2_000 },
    ...extra,
  });

  it("sends the method, URL, headers and body as given, with this package's User-Agent", async function () {
    server.script({ respond: 201, headers: { "X-Subject-Token": "s" }, body: { ok: true } });
    const outcome = await transport.send(wire(server.url));
    assert.ok(outcome.kind === "response");
    assert.deepEqual([outcome.status, outcome.text], [201, '{"ok":true}']);
    assert.equal(outcome.headers["x-subject-token"], "s");
    const [req] = server.received;
    assert.deepEqual([req?.method, req?.url, req?.body], ["POST", "/v2/orders?a=1", '{"a":1}']);
    assert.equal(req?.headers["x-auth-token"], "token-0001");
    assert.equal(req?.headers["user-agent"], USER_AGENT);
  });

  it("returns every status as an answer, and follows no redirect", async function () {
    server.script(
      { respond: 503, body: { error_code: "X" } },
      { respond: 302, headers: { Location: "/elsewhere" } },
    );
    const failed = await transport.send(wire(server.url));
    assert.ok(failed.kind === "response" && failed.status === 503);
    const moved = await transport.send(wire(server.url, { method: "GET", body: "" }));
    assert.ok(moved.kind === "response" && moved.status === 302);
    assert.equal(server.received.length, 2);
  });

  it("a refused connection sent nothing; a request read and then dropped, or never answered, may have acted", async function () {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await transport.send(wire(`http://127.0.0.1:${port}`));
    assert.ok(refused.kind === "failure" && !refused.final);
    assert.equal(refused.failure.kind, "not-sent");
    assert.match(refused.failure.cause, /^ECONNREFUSED: /);

    server.script({ drop: true }, { hang: true });
    const dropped = await transport.send(wire(server.url));
    assert.ok(dropped.kind === "failure" && dropped.failure.kind === "no-answer");
    const hung = await transport.send(wire(server.url, { timeouts: { connectMs: 2_000, responseMs: 200 } }));
    assert.ok(hung.kind === "failure" && hung.failure.kind === "no-answer");
    assert.match(hung.failure.cause, /^ETIMEDOUT: /);
  });
});
