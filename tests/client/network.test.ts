import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs/promises";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { HuaweiCloudClient, HuaweiCloudError, type ClientSettings } from "../../provider/client";

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, "..", "..");

function settingsFor(url: string): ClientSettings {
  return {
    region: "cn-north-4",
    projectId: "0123456789abcdef0123456789abcdef",
    credentials: { kind: "token", token: "ready-token-value-0001" },
    endpoints: { iam: url, dis: url, metastudio: url, bss: url },
    retry: { maxAttempts: 3, maxWaitMs: 1000 },
    timeouts: { connectMs: 2000, responseMs: 2000 },
  };
}

describe("the client's network safety", function () {
  describe("TLS is verified", function () {
    let dir: string;
    let server: https.Server;
    let handshakesCompleted = 0;
    before(async function () {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), "phco-tls-"));
      // A self-signed certificate no trust store knows.
      await run("openssl", [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-days",
        "1",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ]);
      server = https.createServer(
        {
          key: await fs.readFile(path.join(dir, "key.pem")),
          cert: await fs.readFile(path.join(dir, "cert.pem")),
        },
        (_req, res) => res.end("{}"),
      );
      server.on("secureConnection", () => handshakesCompleted++);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    after(async function () {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await fs.rm(dir, { recursive: true, force: true });
    });

    it("refuses a certificate it cannot verify, at once and without retrying", async function () {
      const { port } = server.address() as AddressInfo;
      const client = new HuaweiCloudClient(settingsFor(`https://127.0.0.1:${port}`), {
        sleep: async () => {},
      });
      await assert.rejects(
        client.call({
          service: "dis",
          operation: "SubmitPackageOrder",
          method: "POST",
          path: ["v2", "orders", "X"],
          body: {},
          creates: true,
        }),
        (err: unknown) => {
          assert.ok(err instanceof HuaweiCloudError);
          assert.match(err.message, /TLS verification failed/);
          assert.equal(err.metadata.attempts, 1);
          return true;
        },
      );
      assert.equal(handshakesCompleted, 0);
    });
  });

  describe("HTTPS_PROXY is honoured", function () {
    let proxy: http.Server;
    const connects: string[] = [];
    before(async function () {
      // A proxy that records CONNECT requests and refuses them: nothing leaves this machine.
      proxy = http.createServer((_req, res) => res.writeHead(405).end());
      proxy.on("connect", (req: http.IncomingMessage, socket) => {
        connects.push(req.url ?? "");
        socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      });
      await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    });
    after(async function () {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    });

    it("sends requests for a Huawei Cloud endpoint through the proxy", async function () {
      const { port } = proxy.address() as AddressInfo;
      const script = `
        const { HuaweiCloudClient } = require("./provider/client");
        const client = new HuaweiCloudClient(${JSON.stringify({ ...settingsFor("https://dis.cn-north-4.myhuaweicloud.com"), retry: { maxAttempts: 1, maxWaitMs: 0 } })});
        client.call({ service: "dis", operation: "SubmitPackageOrder", method: "POST", path: ["v2", "orders", "X"], body: {}, creates: true })
          .then(() => process.exit(0), (e) => { console.log(e.message); process.exit(3); });`;
      const child = await run(process.execPath, ["-r", "ts-node/register", "-e", script], {
        cwd: repoRoot,
        env: { ...process.env, HTTPS_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: "", no_proxy: "" },
      }).then(
        () => assert.fail("the request should not succeed through a refusing proxy"),
        (e: { code?: number; stdout?: string }) => e,
      );
      assert.equal(child.code, 3);
      assert.deepEqual(connects, ["dis.cn-north-4.myhuaweicloud.com:443"]);
      assert.match(child.stdout ?? "", /DIS SubmitPackageOrder failed/);
    });
  });
});
