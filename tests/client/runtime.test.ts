import * as assert from "node:assert/strict";
import { AdaptiveRateLimiter, ClientRuntime, GotTransport } from "../../provider/client";
import { IamTokenCache } from "../../provider/client/iam-token";
import { startScriptedServer } from "../support/scripted-server";
import { FakeTransport } from "./fake-transport";

describe("the client runtime (what the clients of one run share)", function () {
  it("has its own limiter by default, the one it is given, or none", function () {
    const a = new ClientRuntime();
    const b = new ClientRuntime();
    assert.ok(a.limiter instanceof AdaptiveRateLimiter);
    assert.notEqual(a.limiter, b.limiter);
    const shared = new AdaptiveRateLimiter();
    assert.equal(new ClientRuntime({ limiter: shared }).limiter, shared);
    assert.equal(new ClientRuntime({ limiter: null }).limiter, undefined);
  });

  it("sends with got unless given a transport", function () {
    assert.ok(new ClientRuntime().transport instanceof GotTransport);
    const fake = new FakeTransport();
    assert.equal(new ClientRuntime({ transport: fake }).transport, fake);
  });

  it("makes one token cache per identity", function () {
    const runtime = new ClientRuntime({ transport: new FakeTransport() });
    let made = 0;
    const create = () => {
      made++;
      return new IamTokenCache(async () => ({ value: "v", expiresAt: new Date(0) }));
    };
    const a = runtime.tokenCache("identity-1", create);
    assert.equal(runtime.tokenCache("identity-1", create), a);
    assert.notEqual(runtime.tokenCache("identity-2", create), a);
    assert.equal(made, 2);
    assert.notEqual(
      new ClientRuntime({ transport: new FakeTransport() }).tokenCache("identity-1", create),
      a,
    );
  });

  it("fetches an account id once for concurrent callers, and again after a failure", async function () {
    const runtime = new ClientRuntime({ transport: new FakeTransport() });
    let fetches = 0;
    let fail = true;
    const fetch = async () => {
      fetches++;
      if (fail) throw new Error("IAM unavailable");
      return "domain-1";
    };
    const [x, y] = await Promise.allSettled([runtime.domainId("k", fetch), runtime.domainId("k", fetch)]);
    assert.deepEqual([x.status, y.status, fetches], ["rejected", "rejected", 1]);
    fail = false;
    assert.equal(await runtime.domainId("k", fetch), "domain-1");
    assert.equal(await runtime.domainId("k", fetch), "domain-1");
    assert.equal(fetches, 2);
  });

  it("closes its transport's connections; the got transport opens new ones for later requests", async function () {
    const fake = new FakeTransport();
    new ClientRuntime({ transport: fake }).close();
    assert.equal(fake.closed, 1);

    const server = await startScriptedServer();
    try {
      const got = new GotTransport();
      const send = () =>
        got.send({
          method: "GET",
          url: `${server.url}/v2/x`,
          headers: {},
          body: "",
          timeouts: { connectMs: 2_000, responseMs: 2_000 },
        });
      assert.equal(((await send()) as { status: number }).status, 200);
      got.close();
      const again = await send();
      assert.ok(again.kind === "response" && again.status === 200);
      assert.equal(server.received.length, 2);
    } finally {
      await server.close();
    }
  });
});
