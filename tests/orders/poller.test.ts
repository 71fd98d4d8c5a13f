import * as assert from "node:assert/strict";
import {
  again,
  done,
  pending,
  poll,
  type PollOptions,
  type Step,
  type Turn,
} from "../../provider/billing/poller";

// The poller against scripted looks and a fake clock: when it looks, sleeps, tells and gives up.
describe("the poller (poller)", function () {
  /** A fake clock; `sleeps` records every sleep asked for, `looks` the time of every look. */
  function harness(startAt = 0) {
    let clock = startAt;
    const sleeps: number[] = [];
    const looks: number[] = [];
    const told: string[] = [];
    const options = <T, L>(
      look: (turn: Turn, i: number) => Promise<Step<T, L>>,
      over: Partial<PollOptions<T, L>> = {},
    ): PollOptions<T, L> => ({
      look: (turn) => {
        looks.push(clock);
        return look(turn, looks.length - 1);
      },
      timeoutMs: 1000,
      pollMs: 100,
      tell: async (line) => void told.push(line),
      timedOut: () => assert.fail("timed out"),
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
      ...over,
    });
    return { options, sleeps, looks, told, advance: (ms: number) => void (clock += ms) };
  }

  it("a first look that is done returns its value at once: no sleep, no line", async function () {
    const h = harness();
    assert.equal(await poll(h.options(async () => done("ready"))), "ready");
    assert.deepEqual([h.looks, h.sleeps, h.told], [[0], [], []]);
  });

  it("sleeps the poll interval between pending looks and tells a line only when it changes", async function () {
    const h = harness();
    const script = ["A", "A", "B", "B", "A"];
    const value = await poll(
      h.options(async (turn, i) => {
        assert.equal(turn.attempt, i);
        const line = script[i];
        return line === undefined ? done(i) : pending(line, undefined);
      }),
    );
    assert.equal(value, 5);
    assert.deepEqual(h.looks, [0, 100, 200, 300, 400, 500]);
    assert.deepEqual(h.sleeps, [100, 100, 100, 100, 100]);
    assert.deepEqual(h.told, ["A", "B", "A"]);
  });

  it("a pending look without a line tells nothing and does not reset what was told", async function () {
    const h = harness();
    const script = ["A", undefined, "A"];
    await poll(h.options(async (_, i) => (i < script.length ? pending(script[i], undefined) : done(true))));
    assert.deepEqual(h.told, ["A"]);
  });

  it("never sleeps past the deadline; there, timedOut gets the last look's learnt and the time taken", async function () {
    const h = harness();
    const seen: [string, number][] = [];
    const value = await poll(
      h.options(async (_, i) => pending(`look ${i}`, `learnt ${i}`), {
        timeoutMs: 250,
        timedOut: (learnt, elapsedMs) => {
          seen.push([learnt, elapsedMs]);
          return "gave up";
        },
      }),
    );
    assert.equal(value, "gave up");
    assert.deepEqual(h.looks, [0, 100, 200, 250]);
    assert.deepEqual(h.sleeps, [100, 100, 50]);
    assert.deepEqual(seen, [["learnt 3", 250]]);
    assert.deepEqual(
      h.told,
      ["look 0", "look 1", "look 2", "look 3"],
      "the last line is told before giving up",
    );
  });

  it("the caller's own error at the deadline is what poll throws", async function () {
    const h = harness();
    class Late extends Error {}
    await assert.rejects(
      poll(
        h.options(async () => pending("waiting", 7), {
          timeoutMs: 300,
          timedOut: (learnt, elapsedMs) => {
            throw new Late(`still ${learnt} after ${elapsedMs} ms`);
          },
        }),
      ),
      (err: unknown) => err instanceof Late && err.message === "still 7 after 300 ms",
    );
    assert.equal(h.looks.length, 4);
  });

  it("the deadline counts from startedAt when given, and a look that ran past it ends the wait", async function () {
    const h = harness(1000);
    const seen: number[] = [];
    await poll(
      h.options(async () => pending(undefined, undefined), {
        startedAt: 800,
        timeoutMs: 250,
        timedOut: (_, elapsedMs) => void seen.push(elapsedMs),
      }),
    );
    assert.deepEqual(h.sleeps, [50]);
    assert.deepEqual(seen, [250]);

    const slow = harness();
    await poll(
      slow.options(
        async () => {
          slow.advance(400); // the look itself took longer than the timeout
          return pending(undefined, undefined);
        },
        { timeoutMs: 300, timedOut: (_, elapsedMs) => void seen.push(elapsedMs) },
      ),
    );
    assert.deepEqual(slow.sleeps, []);
    assert.deepEqual(seen, [250, 400]);
  });

  it("again looks at once, without sleeping or checking the deadline", async function () {
    const h = harness();
    const value = await poll(
      h.options(
        async (_, i) => {
          if (i === 0) {
            h.advance(500); // past the deadline
            return again();
          }
          return done(i);
        },
        { timeoutMs: 100 },
      ),
    );
    assert.equal(value, 1);
    assert.deepEqual([h.looks, h.sleeps], [[0, 500], []]);
  });

  it("a look that throws ends the wait with its error; timedOut is not asked", async function () {
    const h = harness();
    await assert.rejects(
      poll(
        h.options(async (_, i) => {
          if (i === 2) throw new Error("BSS said no");
          return pending("waiting", undefined);
        }),
      ),
      /BSS said no/,
    );
    assert.deepEqual(h.sleeps, [100, 100]);
  });

  it("a look's own lines share the told-once rule with the pending lines; left() is the time to the deadline", async function () {
    const h = harness();
    const left: number[] = [];
    await poll(
      h.options(async (turn, i) => {
        left.push(turn.left());
        await turn.tell("paying");
        if (i === 0) return pending("paying", undefined); // the same line: not told again
        await turn.tell("paid");
        return done(undefined);
      }),
    );
    assert.deepEqual(left, [1000, 900]);
    assert.deepEqual(h.told, ["paying", "paid"]);
  });

  it("without tell, now and sleep it tells nothing and uses the real clock (a zero timeout: no sleep)", async function () {
    let looks = 0;
    const value = await poll({
      look: async () => {
        looks += 1;
        return pending("unheard", "learnt");
      },
      timeoutMs: 0,
      pollMs: 60_000,
      timedOut: (learnt, elapsedMs) => {
        assert.ok(elapsedMs >= 0);
        return learnt;
      },
    });
    assert.equal(value, "learnt");
    assert.equal(looks, 1);
  });
});
