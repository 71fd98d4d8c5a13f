import * as assert from "node:assert/strict";
import * as diagnostics from "node:diagnostics_channel";
import * as net from "node:net";
import { HuaweiCloudClient, resolveSettings, type SettingSources } from "../../provider/client";

// Settings cannot steer a request: a hostile region or endpoint, from any layer, is refused
// before any connection is opened. A loopback listener stands where a steered request would go,
// and Node's "net.client.socket" channel counts every outgoing socket of this process.
describe("settings cannot steer a request", function () {
  let listener: net.Server;
  let port = 0;
  let accepted = 0;
  let opened = 0;
  const countSocket = () => void opened++;
  before(async function () {
    listener = net.createServer((socket) => {
      accepted++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    port = (listener.address() as net.AddressInfo).port;
    diagnostics.subscribe("net.client.socket", countSocket);
  });
  after(async function () {
    diagnostics.unsubscribe("net.client.socket", countSocket);
    await new Promise((resolve) => listener.close(resolve));
  });
  beforeEach(function () {
    accepted = 0;
    opened = 0;
  });

  /** Resolves the settings and, if they are accepted, places a DIS order with them. */
  async function attempt(sources: SettingSources): Promise<string> {
    let client: HuaweiCloudClient;
    try {
      client = new HuaweiCloudClient(resolveSettings(sources), { sleep: async () => {} });
    } catch (err) {
      return (err as Error).message;
    }
    await client
      .call({
        service: "dis",
        operation: "SubmitPackageOrder",
        method: "POST",
        path: ["v2", "orders", "CS1"],
        body: {},
        creates: true,
      })
      .catch(() => undefined);
    return "accepted";
  }

  const password = { userName: "user-1", password: "password-0001", domainName: "domain-1" };
  const hostileRegions = () => [
    `x@127.0.0.1:${port}/#`,
    `x@127.0.0.1:${port}/?`,
    `127.0.0.1:${port}`,
    `x:${port}@127.0.0.1`,
    "cn-north-4.evil.test",
    "cn north 4!",
    "cn-north-4/../x",
    "cn-north-4\r\nHost: evil.test",
    "CN-NORTH-4",
    "cn-n\u043erth-4", // a Cyrillic "o"
    "[::1]",
    "%2e%2e",
    "-cn-north-4",
    "cn-north-4-",
    `cn-${"a".repeat(70)}-1`,
  ];

  it("the listener and the socket count see a request that is allowed (the control)", async function () {
    const url = `http://127.0.0.1:${port}`;
    const result = await attempt({
      env: {
        HW_REGION_NAME: "cn-north-4",
        HW_AUTH_TOKEN: "token-0001",
        HUAWEICLOUD_ORDERS_DIS_ENDPOINT: url,
      },
    });
    assert.equal(result, "accepted");
    assert.ok(opened > 0 && accepted > 0, `opened ${opened}, accepted ${accepted}`);
  });

  for (const layer of ["connection", "config", "environment"] as const) {
    it(`a hostile region from the ${layer} layer is refused, with or without endpoint overrides`, async function () {
      for (const region of hostileRegions()) {
        for (const overrides of [false, true]) {
          const url = `http://127.0.0.1:${port}`;
          const base: Record<string, unknown> = {
            ...password,
            ...(overrides ? { authUrl: url, endpoints: { dis: url, metastudio: url } } : {}),
          };
          const values: Record<string, unknown> = { ...base, region };
          const stackConfig = Object.fromEntries(
            Object.entries(values).map(([k, v]) => [
              `huaweicloud:${k}`,
              typeof v === "string" ? v : JSON.stringify(v),
            ]),
          );
          const sources: SettingSources =
            layer === "connection"
              ? { explicit: values }
              : layer === "config"
                ? { config: (key) => stackConfig[key] }
                : {
                    env: {
                      HW_REGION_NAME: region,
                      HW_USER_NAME: password.userName,
                      HW_USER_PASSWORD: password.password,
                      HW_DOMAIN_NAME: password.domainName,
                      ...(overrides ? { HW_AUTH_URL: url, HUAWEICLOUD_ORDERS_DIS_ENDPOINT: url } : {}),
                    },
                  };
          const label = {
            connection: "connection.region",
            config: "huaweicloud:region",
            environment: "HW_REGION_NAME",
          }[layer];
          const message = await attempt(sources);
          assert.ok(
            message.startsWith(`${label} is not a Huawei Cloud region id`),
            `${JSON.stringify(region)} (overrides: ${overrides}): ${message}`,
          );
        }
      }
      assert.equal(accepted, 0, "the loopback listener saw a connection");
      assert.equal(opened, 0, "a socket was opened");
    });
  }

  it("hostile endpoints are refused, whatever the region", async function () {
    const at = `127.0.0.1:${port}`;
    const endpoints = [
      `http://${at}/?x=1`,
      `http://${at}/?`,
      `http://${at}#`,
      `http://${at}/base#fragment`,
      `http://user:secret@${at}`,
      `http://10.0.0.1:${port}`,
      `http://127.0.0.1.nip.io:${port}`,
      `http://localhost.evil.test:${port}`,
      `ftp://${at}`,
      `ws://${at}`,
      "javascript:alert(1)",
      `//${at}`,
      at,
    ];
    for (const endpoint of endpoints) {
      for (const variable of [
        "HW_AUTH_URL",
        "HUAWEICLOUD_ORDERS_DIS_ENDPOINT",
        "HUAWEICLOUD_ORDERS_METASTUDIO_ENDPOINT",
        "HW_DIS_ENDPOINT", // the previous release's name, still read
      ]) {
        const message = await attempt({
          env: { HW_REGION_NAME: "cn-north-4", HW_AUTH_TOKEN: "token-0001", [variable]: endpoint },
        });
        assert.match(message, new RegExp(`^${variable} `), `${variable}=${endpoint}: ${message}`);
        assert.ok(!message.includes("secret@"), "user info is not echoed");
      }
    }
    assert.equal(accepted, 0, "the loopback listener saw a connection");
    assert.equal(opened, 0, "a socket was opened");
  });

  it("a project id cannot add path segments", async function () {
    for (const projectId of ["..", "p/../../x", "p?x=1", "p#f", "p q"]) {
      const message = await attempt({
        env: { HW_REGION_NAME: "cn-north-4", HW_AUTH_TOKEN: "token-0001", HW_PROJECT_ID: projectId },
      });
      assert.match(message, /^HW_PROJECT_ID is not a Huawei Cloud project id/);
    }
    assert.equal(opened, 0, "a socket was opened");
  });
});
