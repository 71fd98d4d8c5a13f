import * as assert from "node:assert/strict";
import { batches, unsubscribeOrder } from "../../provider/billing/unsubscribe-order";
import { ids, request, scriptedBss, type Script } from "../support/scripted-bss";

// Unsubscribing on destroy against a scripted BSS and a fake clock: what it reads and sends, as
// Huawei's page "Unsubscribing from Yearly/Monthly Resources" answers (HTTP 400 for a whole
// request) and as older tables did (200 with fail_resource_infos).
describe("unsubscribe on destroy (billing/unsubscribe-order)", function () {
  it("splits ids into requests of at most 10", function () {
    assert.deepEqual(
      batches(ids(23).map((r) => r.id)).map((b) => b.length),
      [10, 10, 3],
    );
    assert.deepEqual(batches([]), []);
  });

  it("unsubscribes 23 resources in 3 requests, each id once, and waits until BSS lists none", async function () {
    const bss = scriptedBss({ orderStatus: 5, resources: ids(23) });
    const { req, lines } = request(bss.client);
    const outcome = await unsubscribeOrder(req);
    assert.deepEqual(
      bss.sent().map((part) => part.length),
      [10, 10, 3],
    );
    assert.equal(new Set(bss.sent().flat()).size, 23);
    assert.deepEqual(outcome.unsubscriptionOrders, ["UN1", "UN2", "UN3"]);
    assert.ok(lines.includes("MetaStudioSubscription 'a': waiting for 23 resources of order CS1 to be gone"));
    assert.match(lines.at(-1) ?? "", /23 resources of order CS1 unsubscribed and gone/);
  });

  it("after an unknown outcome it never sends again: it reads BSS until the resources are gone", async function () {
    const bss = scriptedBss({ orderStatus: 5, resources: ids(2), unsubscribe: ["unknown"] });
    const { req, lines } = request(bss.client);
    await unsubscribeOrder(req);
    assert.equal(bss.sent().length, 1);
    assert.ok(lines.some((l) => /outcome of unsubscribing r1, r2 is unknown .*not sending it again/.test(l)));
  });

  it("an unsubscription already in progress (an earlier destroy) is waited for, never sent again, until the timeout", async function () {
    const bss = scriptedBss({ orderStatus: 5, resources: ids(1), inProgress: ["UN9"] });
    const { req, lines } = request(bss.client);
    await assert.rejects(
      unsubscribeOrder(req),
      /1 resource is of order CS1 still listed by BSS after 1 s .*never sending a second one/,
    );
    assert.equal(bss.sent().length, 0);
    assert.match(lines[0] ?? "", /already in progress \(BSS order UN9\).*sending no unsubscription/);
  });

  it("an unsubscription in progress that this run sent (a parallel destroy's) is not waited for", async function () {
    const bss = scriptedBss({ orderStatus: 5, resources: ids(1), inProgress: ["UN9"] });
    const sentByThisRun = new Set(["UN9"]);
    const { req, lines } = request(bss.client, 1000, sentByThisRun);
    const outcome = await unsubscribeOrder(req);
    assert.deepEqual(bss.sent(), [["r1"]]);
    assert.deepEqual(outcome.unsubscriptionOrders, ["UN1"]);
    assert.deepEqual([...sentByThisRun], ["UN9", "UN1"], "the run's set records what it sent");
    assert.ok(!lines.some((l) => /already in progress/.test(l)));
  });

  it("the old 200 answer with fail_resource_infos is still understood: gone ids forgotten, ids being unsubscribed waited for, others fail naming the code", async function () {
    const bss = scriptedBss({
      orderStatus: 5,
      resources: ids(4),
      unsubscribe: [{ legacy: { r2: "CBC.0100", r3: "CBC.30050009", r4: "CBC.3124" } }],
    });
    const { req, lines } = request(bss.client);
    await assert.rejects(
      unsubscribeOrder(req),
      /BSS refused to unsubscribe 1 resource of order CS1: r2: CBC\.0100 "Refused the old way\." \(HTTP 200, X-Request-Id req\d+\): .*onDestroy "keep".* \(unsubscribed and gone: r1, r4\) \(left alone, no longer in use: r3\)\. The resource stays in the stack/,
    );
    assert.deepEqual(bss.sent(), [["r1", "r2", "r3", "r4"]]);
    assert.ok(lines.some((l) => /resource r3 of order CS1: BSS answered CBC\.30050009 \(gone\)/.test(l)));
  });

  it("sends only resources in use: expired and closed ones are left alone with a line and forgotten, a frozen one fails naming what to do", async function () {
    const script = {
      orderStatus: 5,
      resources: [
        { id: "r1", status: 5 },
        { id: "r2", status: 3 },
        { id: "r3", status: 2 },
      ],
    };
    const bss = scriptedBss(script);
    const { req, lines } = request(bss.client);
    const outcome = await unsubscribeOrder(req);
    assert.deepEqual(bss.sent(), [["r3"]]);
    assert.deepEqual([outcome.resourceIds, outcome.forgotten], [["r3"], ["r1", "r2"]]);
    assert.ok(
      lines.includes(
        "MetaStudioSubscription 'a': resource r1 of order CS1 is 5 (expired): BSS cannot unsubscribe an expired resource; nothing is sent for it, and it is forgotten",
      ),
    );
    assert.ok(lines.some((l) => /resource r2 of order CS1 is 3 \(closed\)/.test(l)));
    assert.match(
      lines.at(-1) ?? "",
      /1 resource of order CS1 unsubscribed and gone \(left alone, no longer in use: r1, r2\)/,
    );

    const onlyExpired = scriptedBss({ orderStatus: 5, resources: [{ id: "r1", status: 5 }] });
    const quiet = request(onlyExpired.client);
    await unsubscribeOrder(quiet.req);
    assert.deepEqual(onlyExpired.sent(), []);
    assert.match(
      quiet.lines.at(-1) ?? "",
      /nothing of order CS1 was left to unsubscribe \(left alone, no longer in use: r1\); the resource leaves the stack/,
    );

    const frozen = scriptedBss({ orderStatus: 5, resources: [{ id: "r1", status: 4 }, { id: "r2" }] });
    await assert.rejects(
      unsubscribeOrder(request(frozen.client).req),
      /refused to unsubscribe 1 resource of order CS1: r1: 4 \(frozen\): .*CBC\.99003656.*unfreeze it in the Billing Center.* \(unsubscribed and gone: r2\)/,
    );
    assert.deepEqual(frozen.sent(), [["r2"]]);
  });

  it("a 400 for a batch is settled by reading again: the resources still in use are sent again, the expired one is not", async function () {
    const script: Script = { orderStatus: 5, resources: ids(3) };
    // BSS refuses the batch because r2 expired after destroy read it.
    const expireR2 = () => {
      script.resources = script.resources.map((r) => (r.id === "r2" ? { ...r, status: 5 } : r));
    };
    script.unsubscribe = [{ status400: "CBC.30000067", then: expireR2 }];
    const bss = scriptedBss(script);
    const { req, lines } = request(bss.client);
    const outcome = await unsubscribeOrder(req);
    assert.deepEqual(bss.sent(), [
      ["r1", "r2", "r3"],
      ["r1", "r3"],
    ]);
    assert.deepEqual([outcome.resourceIds, outcome.forgotten], [["r1", "r3"], ["r2"]]);
    assert.ok(
      lines.some((l) =>
        /refused the request as a whole \(HTTP 400 CBC\.30000067 "Refused\.", X-Request-Id req\d+\); sending again the 2 resources still in use: r1, r3/.test(
          l,
        ),
      ),
    );
  });

  for (const [code, what, advice] of [
    ["CBC.99003656", "frozen", /unfreeze it in the Billing Center/],
    ["CBC.99003100", "pending payment", /part of an order pending payment: pay or cancel that order/],
    ["CBC.99003649", "trial", /a trial resource cannot be unsubscribed/],
  ] as const) {
    it(`a ${what} resource (400 ${code}) fails naming the resource, the code and what to do; the others in its batch go`, async function () {
      const bss = scriptedBss({ orderStatus: 5, resources: ids(2), refuse: { r2: code } });
      const { req, lines } = request(bss.client);
      await assert.rejects(unsubscribeOrder(req), (err: Error) => {
        assert.match(
          err.message,
          new RegExp(
            `refused to unsubscribe 1 resource of order CS1: r2: ${code.replace(".", "\\.")} "Refused\\." \\(HTTP 400, X-Request-Id req\\d+\\): `,
          ),
        );
        assert.match(err.message, advice);
        assert.match(err.message, /\(unsubscribed and gone: r1\)\. The resource stays in the stack$/);
        return true;
      });
      // The whole request was refused, then each resource sent alone to learn which BSS refuses.
      assert.deepEqual(bss.sent(), [["r1", "r2"], ["r1"], ["r2"]]);
      assert.ok(lines.some((l) => /sending each alone to learn which it refuses/.test(l)));
    });
  }

  it("a transaction in progress (400 CBC.99003651) waits and looks again, then sends; until the timeout, then fails saying so", async function () {
    const busy = { status400: "CBC.99003651" };
    const bss = scriptedBss({ orderStatus: 5, resources: ids(1), unsubscribe: [busy, busy, "accept"] });
    const { req, lines } = request(bss.client);
    const outcome = await unsubscribeOrder(req);
    assert.deepEqual(outcome.resourceIds, ["r1"]);
    assert.deepEqual(bss.sent(), [["r1"], ["r1"], ["r1"]]);
    assert.ok(
      lines.some((l) =>
        /a transaction on r1 is in progress \(HTTP 400 CBC\.99003651, X-Request-Id req\d+\): looking again in 1 s/.test(
          l,
        ),
      ),
    );

    const stuck = scriptedBss({ orderStatus: 5, resources: ids(1), refuse: { r1: "CBC.99003651" } });
    const timed = request(stuck.client, 1000);
    await assert.rejects(
      unsubscribeOrder(timed.req),
      /r1: CBC\.99003651 "Refused\." \(HTTP 400, X-Request-Id req\d+\): another transaction on the resource .* in progress.*raise waitTimeoutSeconds.* \(still after 1 s, waitTimeoutSeconds 1\)\. The resource stays in the stack/,
    );
    // One request per poll interval of 100 ms over the 1 s timeout, and one at the start.
    assert.equal(stuck.sent().length, 11);
  });

  it("a request whose outcome is unknown is never sent again, even when a later batch is refused and split", async function () {
    const bss = scriptedBss({
      orderStatus: 5,
      resources: ids(12),
      unsubscribe: ["unknown"],
      refuse: { r12: "CBC.99003100" },
    });
    const { req } = request(bss.client);
    await assert.rejects(
      unsubscribeOrder(req),
      /r12: CBC\.99003100 .*\(unsubscribed and gone: r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11\)/,
    );
    const counts = new Map<string, number>();
    for (const id of bss.sent().flat()) counts.set(id, (counts.get(id) ?? 0) + 1);
    assert.deepEqual(
      ids(10).map((r) => counts.get(r.id)),
      Array(10).fill(1),
      "the first ten, of unknown outcome, went once",
    );
    assert.deepEqual(bss.sent().slice(1), [["r11", "r12"], ["r11"], ["r12"]]);
  });

  it("nothing listed: a completed order has nothing left to send; one not provisioned yet stays in the stack", async function () {
    const done = scriptedBss({ orderStatus: 5, resources: [] });
    await unsubscribeOrder(request(done.client).req);
    assert.equal(done.sent().length, 0);
    const unpaid = scriptedBss({ orderStatus: 6, resources: [] });
    await assert.rejects(
      unsubscribeOrder(request(unpaid.client).req),
      /order CS1 is 6 \(pending payment\): it has no resource to unsubscribe yet/,
    );
    assert.equal(unpaid.sent().length, 0);
  });
});
