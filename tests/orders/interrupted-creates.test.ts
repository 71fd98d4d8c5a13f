import * as assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { parsePendingCreates, readCheckpoint, type PendingCreate } from "../../provider/run/checkpoint";
import {
  attemptSpanMs,
  firstRequestSpanMs,
  takenWithoutAsking,
  attemptWindows,
  CLOCK_SKEW_MS,
  ENGINE_GAP_MS,
  type AttemptBudget,
} from "../../provider/run/interrupted-creates";

const TYPE = "pulumi-nodejs:dynamic/huaweicloud:MetaStudioSubscription";
const urn = (name: string) => `urn:pulumi:dev::app::${TYPE}::${name}`;
const MINUTE = 60_000;

// The evidence the duplicate guard acts on (docs/recovery.md "The engine interrupted while creating"): the
// pending creates of the stack's own checkpoint, as `pulumi stack export` prints them, and the
// window each gives for the order its killed attempt may have placed.
describe("interrupted creates: the checkpoint's pending creates and their windows", function () {
  describe("parsePendingCreates", function () {
    it("reads the creating operations of an export, and nothing else of it", function () {
      const text = JSON.stringify({
        version: 3,
        deployment: {
          manifest: { time: "2026-12-07T01:00:00Z" },
          resources: [{ urn: urn("held"), type: TYPE, outputs: { orderId: "CS1" } }],
          pending_operations: [
            {
              type: "creating",
              resource: { urn: urn("avatar"), type: TYPE, custom: true, inputs: { resourceName: "avatar" } },
            },
            { type: "updating", resource: { urn: urn("other"), type: TYPE, inputs: {} } },
            { type: "creating", resource: { urn: urn("bare"), type: TYPE } },
          ],
        },
      });
      assert.deepEqual(parsePendingCreates(text), [
        { urn: urn("avatar"), type: TYPE, inputs: { resourceName: "avatar" } },
        { urn: urn("bare"), type: TYPE, inputs: {} },
      ]);
    });

    it("a stack never deployed has none; what is not a checkpoint throws", function () {
      assert.deepEqual(parsePendingCreates(JSON.stringify({ version: 3, deployment: {} })), []);
      assert.deepEqual(parsePendingCreates(JSON.stringify({ version: 3 })), []);
      assert.deepEqual(parsePendingCreates(JSON.stringify({ deployment: { pending_operations: null } })), []);
      assert.throws(() => parsePendingCreates("not json"));
      assert.throws(
        () => parsePendingCreates(JSON.stringify({ deployment: { pending_operations: [{ type: 1 }] } })),
        /not a checkpoint/,
      );
    });
  });

  describe("attemptWindows", function () {
    const budget: AttemptBudget = {
      maxAttempts: 2,
      connectMs: 1000,
      responseMs: 2000,
      maxWaitMs: 500,
      reconcileMs: 4000,
      unmarkedWindowMinutes: 60,
    };
    const runStartedAt = Date.parse("2026-12-07T02:00:00Z");
    const pending = (name: string, marker?: string, type = TYPE): PendingCreate => ({
      urn: urn(name),
      type,
      inputs: { resourceName: name, ...(marker === undefined ? {} : { __createAttemptAt: marker }) },
    });
    const subject = { type: TYPE, name: "avatar" };

    it("the span: engine gap, the request with its retries, the reconcile, the one resend", function () {
      // 2 attempts x 3 s + 1 wait of 0.5 s = 6.5 s per send.
      assert.equal(attemptSpanMs(budget), ENGINE_GAP_MS + 6500 + 4000 + 6500);
    });

    it("no pending create of this resource: no window, so no look and nothing refused", function () {
      assert.deepEqual(attemptWindows([], subject, runStartedAt, budget), []);
      const others = [
        pending("other", "2026-12-07T01:50:00.000Z"),
        pending("avatar", "2026-12-07T01:50:00.000Z", "pulumi-nodejs:dynamic/huaweicloud:DisPackageOrder"),
      ];
      assert.deepEqual(attemptWindows(others, subject, runStartedAt, budget), []);
    });

    it("a killed attempt's marker gives its own narrow window, skew on both sides", function () {
      const [w, ...rest] = attemptWindows(
        [pending("avatar", "2026-12-07T01:50:00.000Z")],
        subject,
        runStartedAt,
        budget,
      );
      assert.deepEqual(rest, []);
      const began = Date.parse("2026-12-07T01:50:00.000Z");
      assert.equal(w?.from.getTime(), began - CLOCK_SKEW_MS);
      assert.equal(w?.to.getTime(), began + attemptSpanMs(budget) + CLOCK_SKEW_MS);
      assert.match(w?.why ?? "", /begun at 2026-12-07T01:50:00.000Z/);
      // Taken without asking: only what its first request could have made.
      assert.equal(w?.takeUntil.getTime(), began + firstRequestSpanMs(budget) + CLOCK_SKEW_MS);
      const windows = w ? [w] : [];
      assert.equal(takenWithoutAsking(new Date(began + 5_000).toISOString(), windows), true);
      assert.equal(
        takenWithoutAsking(new Date(began + firstRequestSpanMs(budget) + 3 * MINUTE).toISOString(), windows),
        false,
      );
      assert.equal(takenWithoutAsking(null, windows), false);
    });

    it("the window never reaches past this run's start; this run's own pending create is not evidence", function () {
      const [w] = attemptWindows(
        [pending("avatar", "2026-12-07T01:59:50.000Z")],
        subject,
        runStartedAt,
        budget,
      );
      assert.equal(w?.to.getTime(), runStartedAt + CLOCK_SKEW_MS);
      const own = [
        pending("avatar", "2026-12-07T02:00:00.000Z"),
        pending("avatar", "2026-12-07T02:00:03.000Z"),
      ];
      assert.deepEqual(attemptWindows(own, subject, runStartedAt, budget), []);
    });

    it("each of several killed attempts has its window; a name only the URN carries still matches", function () {
      const byUrn: PendingCreate = {
        urn: urn("avatar"),
        type: TYPE,
        inputs: { __createAttemptAt: "2026-12-07T01:00:00Z" },
      };
      const windows = attemptWindows(
        [pending("avatar", "2026-12-07T01:30:00.000Z"), byUrn],
        subject,
        runStartedAt,
        budget,
      );
      assert.deepEqual(
        windows.map((w) => w.from.toISOString()),
        ["2026-12-07T01:28:00.000Z", "2026-12-07T00:58:00.000Z"],
      );
    });

    it("an earlier release's pending create (no marker): duplicateOrderWindowMinutes before this run; 0: none", function () {
      const [w] = attemptWindows([pending("avatar")], subject, runStartedAt, budget);
      assert.equal(w?.from.getTime(), runStartedAt - 60 * MINUTE - CLOCK_SKEW_MS);
      assert.equal(w?.to.getTime(), runStartedAt + CLOCK_SKEW_MS);
      assert.match(w?.why ?? "", /earlier release .*last 60 minutes/);
      assert.equal(w?.takeUntil.getTime(), w?.from.getTime(), "no time recorded: never taken without asking");
      assert.equal(takenWithoutAsking(new Date(runStartedAt - MINUTE).toISOString(), w ? [w] : []), false);
      const malformed = pending("avatar", "yesterday");
      assert.equal(attemptWindows([malformed], subject, runStartedAt, budget).length, 1);
      assert.deepEqual(
        attemptWindows([pending("avatar")], subject, runStartedAt, { ...budget, unmarkedWindowMinutes: 0 }),
        [],
      );
    });
  });

  describe("readCheckpoint", function () {
    let dir: string;
    before(async function () {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), "phco-checkpoint-"));
    });
    after(async function () {
      await fs.rm(dir, { recursive: true, force: true });
    });

    async function cli(name: string, script: string): Promise<string> {
      const file = path.join(dir, name);
      await fs.writeFile(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
      return file;
    }

    it("runs `stack export --stack <stack>` in the given directory, and reads its pending creates", async function () {
      const export_ = JSON.stringify({
        deployment: {
          pending_operations: [{ type: "creating", resource: { urn: urn("a"), type: TYPE, inputs: {} } }],
        },
      });
      const fake = await cli(
        "pulumi-ok",
        `[ "$1 $2 $3 $4" = "stack export --stack org/app/dev" ] || exit 3\necho '${export_}'`,
      );
      const read = await readCheckpoint({ stack: "org/app/dev", cli: fake, cwd: dir });
      assert.deepEqual(read, {
        ok: true,
        pending: [{ urn: urn("a"), type: TYPE, inputs: {} }],
        heldDynamic: [],
      });
    });

    it("never throws: a failing CLI, or none at all, is a reason", async function () {
      const failing = await cli("pulumi-fails", "echo 'error: no stack named dev found' >&2; exit 255");
      const read = await readCheckpoint({ stack: "dev", cli: failing, cwd: dir });
      assert.equal(read.ok, false);
      assert.match(
        read.ok ? "" : read.reason,
        /`pulumi stack export --stack dev --non-interactive` failed: .*no stack named dev found/,
      );
      const none = await readCheckpoint({ stack: "dev", cwd: dir, env: { PATH: dir + "/nothing-here" } });
      // The engine's own CLI (an ancestor of this process) is found first when there is one.
      if (!none.ok) assert.match(none.reason, /no Pulumi CLI was found/);
      else assert.ok(Array.isArray(none.pending));
    });
  });
});
