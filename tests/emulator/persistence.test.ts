import * as assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { DEMO_ACCOUNT, startEmulator } from "../../emulator";
import {
  DIS_PAGE_EXAMPLE,
  DIS_PATH,
  nextDisPath,
  METASTUDIO_FROM_TABLE,
  METASTUDIO_PATH,
  officiallySigned,
  login,
  send,
} from "./helpers";

const d = DEMO_ACCOUNT;

describe("persistence with a data file (--data)", function () {
  let dir: string;
  let dataFile: string;

  beforeEach(async function () {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "emulator-data-"));
    dataFile = path.join(dir, "state", "emulator.json");
  });
  afterEach(async function () {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("keeps orders, the request log and valid tokens across a restart", async function () {
    const first = await startEmulator({ dataFile });
    const token = await login(first.url);
    await send(first.url, { path: DIS_PATH, headers: { "X-Auth-Token": token }, json: DIS_PAGE_EXAMPLE });
    const signed = officiallySigned({
      baseUrl: first.url,
      path: METASTUDIO_PATH,
      headers: { "X-Project-Id": d.projectId },
      data: METASTUDIO_FROM_TABLE,
    });
    await send(first.url, { path: METASTUDIO_PATH, headers: signed.headers, body: signed.body ?? "" });
    const orders = first.orders();
    const requests = first.requests();
    await first.stop();

    const second = await startEmulator({ dataFile });
    try {
      assert.deepEqual(second.orders(), orders);
      assert.deepEqual(second.requests(), requests);
      assert.equal(orders.length, 2);
      const again = await send(second.url, {
        path: nextDisPath(),
        headers: { "X-Auth-Token": token },
        json: {},
      });
      assert.equal(again.status, 200, "the token issued before the restart still works");
    } finally {
      await second.stop();
    }
  });

  it("writes no credential to the file", async function () {
    const emu = await startEmulator({ dataFile });
    try {
      const token = await login(emu.url);
      await send(emu.url, { path: DIS_PATH, headers: { "X-Auth-Token": token }, json: {} });
      const second = nextDisPath();
      const signed = officiallySigned({
        baseUrl: emu.url,
        path: second,
        accessKey: d.temporaryAccessKey,
        secretKey: d.temporarySecretKey,
        headers: { "X-Project-Id": d.projectId, "X-Security-Token": d.securityToken },
        data: {},
      });
      await send(emu.url, { path: second, headers: signed.headers, body: signed.body ?? "" });
      assert.equal(emu.orders().length, 2);
      const content = await fs.readFile(dataFile, "utf8");
      for (const secret of [
        token,
        d.password,
        d.temporarySecretKey,
        d.securityToken,
        String(signed.headers["Authorization"]),
      ]) {
        assert.ok(!content.includes(secret), `the data file holds a secret: ${secret.slice(0, 12)}...`);
      }
      assert.ok(content.includes("[redacted]"));
    } finally {
      await emu.stop();
    }
  });

  it("replaces the file whole on every change, leaving no temporary file behind", async function () {
    const emu = await startEmulator({ dataFile });
    try {
      const token = emu.issueToken();
      for (let i = 0; i < 5; i++) {
        await send(emu.url, { path: nextDisPath(), headers: { "X-Auth-Token": token }, json: {} });
        const saved = JSON.parse(await fs.readFile(dataFile, "utf8")) as { orders: unknown[] };
        assert.equal(saved.orders.length, i + 1);
      }
      assert.deepEqual(await fs.readdir(path.dirname(dataFile)), ["emulator.json"]);
    } finally {
      await emu.stop();
    }
  });

  it("empties the file on reset", async function () {
    const emu = await startEmulator({ dataFile });
    try {
      const token = emu.issueToken();
      await send(emu.url, { path: DIS_PATH, headers: { "X-Auth-Token": token }, json: {} });
      emu.reset();
      const saved = JSON.parse(await fs.readFile(dataFile, "utf8")) as Record<string, unknown[]>;
      assert.deepEqual([saved["orders"], saved["requests"], saved["tokens"]], [[], [], []]);
    } finally {
      await emu.stop();
    }
  });

  it("reads back a request log that names every kind of fault", async function () {
    const first = await startEmulator({ dataFile });
    const kinds = ["throttle", "error", "latency", "token-expiry"] as const;
    try {
      const token = first.issueToken();
      first.injectFaults(
        { kind: "throttle", count: 1 },
        { kind: "error", count: 1 },
        { kind: "latency", ms: 1, count: 1 },
        { kind: "token-expiry", count: 1, service: "dis" },
      );
      for (let i = 0; i < kinds.length; i++) {
        await send(first.url, { path: DIS_PATH, headers: { "X-Auth-Token": token }, json: {} });
      }
    } finally {
      await first.stop();
    }
    const second = await startEmulator({ dataFile });
    try {
      assert.deepEqual(
        second
          .requests()
          .flatMap((r) => r.faults ?? [])
          .sort(),
        [...kinds].sort(),
      );
    } finally {
      await second.stop();
    }
  });

  it("refuses to start on a file that is not its own, and leaves the file alone", async function () {
    await fs.mkdir(path.dirname(dataFile), { recursive: true });
    await fs.writeFile(dataFile, '{"something": "else"}');
    await assert.rejects(startEmulator({ dataFile }), /is not an emulator data file/);
    assert.equal(await fs.readFile(dataFile, "utf8"), '{"something": "else"}');
  });
});
