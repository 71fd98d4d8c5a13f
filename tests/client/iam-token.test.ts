import * as assert from "node:assert/strict";
import { IamTokenCache, RENEW_BEFORE_EXPIRY_MS, type IamToken } from "../../provider/client/iam-token";

describe("the IAM token cache", function () {
  let clock: Date;
  let fetched: number;
  const cache = () =>
    new IamTokenCache(
      async (): Promise<IamToken> => {
        fetched++;
        return { value: `token-${fetched}`, expiresAt: new Date(clock.getTime() + 3_600_000) };
      },
      () => clock,
    );
  beforeEach(function () {
    clock = new Date("2026-11-25T00:00:00Z");
    fetched = 0;
  });

  it("fetches once for concurrent callers and reuses the token", async function () {
    const c = cache();
    const tokens = await Promise.all([c.get(), c.get(), c.get()]);
    assert.deepEqual(
      tokens.map((t) => t.value),
      ["token-1", "token-1", "token-1"],
    );
    assert.equal((await c.get()).value, "token-1");
    assert.equal(fetched, 1);
  });

  it("renews shortly before expiry, not after", async function () {
    const c = cache();
    await c.get();
    clock = new Date(clock.getTime() + 3_600_000 - RENEW_BEFORE_EXPIRY_MS - 1);
    assert.equal((await c.get()).value, "token-1");
    clock = new Date(clock.getTime() + 2);
    assert.equal((await c.get()).value, "token-2");
  });

  it("fetches again after invalidate, once for all callers", async function () {
    const c = cache();
    const first = await c.get();
    c.invalidate(first);
    c.invalidate(first);
    assert.equal((await c.get()).value, "token-2");
    c.invalidate(first); // a stale invalidation must not drop the new token
    assert.equal((await c.get()).value, "token-2");
    assert.equal(fetched, 2);
  });

  it("does not cache a failed fetch", async function () {
    let fail = true;
    const c = new IamTokenCache(
      async () => {
        if (fail) throw new Error("IAM down");
        return { value: "ok", expiresAt: new Date(clock.getTime() + 3_600_000) };
      },
      () => clock,
    );
    await assert.rejects(c.get(), /IAM down/);
    fail = false;
    assert.equal((await c.get()).value, "ok");
  });
});
