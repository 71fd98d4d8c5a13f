import * as assert from "node:assert/strict";
import * as net from "node:net";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { DEMO_ACCOUNT } from "../../emulator";
import { configMap, engineSuite } from "../support/engine-suite";

// The settings around the credentials, through the real engine: every bad setting, from any of
// the three layers (the resource's `connection` input, the stack's `huaweicloud:` and
// `huaweicloud-orders:` config, the environment), fails the preview naming the setting and its
// layer, and nothing is sent.
describe("settings checked at preview, through the real engine", function () {
  const suite = engineSuite();
  const emu = suite.emu;
  let listener: net.Server;
  let listenerPort = 0;
  let connections = 0;
  before(async function () {
    // Where a region that could steer a request would send it: it must never see a connection.
    listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    listenerPort = (listener.address() as net.AddressInfo).port;
  });
  after(async function () {
    await new Promise((resolve) => listener?.close(resolve));
  });

  const d = DEMO_ACCOUNT;
  const plain = (values: Record<string, string>): ConfigMap =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [`huaweicloud:${k}`, { value: v }]));
  const emulatorEndpoints = () => ({
    authUrl: emu.url,
    endpoints: { dis: emu.url, metastudio: emu.url, bss: emu.url },
  });
  const emulatorConfig = (): ConfigMap => ({
    "huaweicloud:authUrl": { value: emu.url },
    "huaweicloud:endpoints": { value: JSON.stringify(emulatorEndpoints().endpoints) },
  });

  interface Case {
    name: string;
    connection?: Record<string, unknown>;
    config: () => ConfigMap;
    env?: () => Record<string, string>;
    /** Texts the preview's error must hold: each setting, named as in its layer. */
    named: () => string[];
    /** Also run `up`: it must fail the same way and send nothing. */
    up?: true;
  }

  const cases: Case[] = [
    {
      name: "the connection input: an unknown key, a hostile region, a negative number, a plain-http endpoint",
      connection: {
        colour: "red",
        region: "cn north 4!",
        connectTimeoutSeconds: -5,
        endpoints: { dis: "http://dis.example.test" },
      },
      config: () => emu.stackConfig("token"),
      named: () => [
        "property connection.colour value",
        "connection.colour is not a setting",
        "property connection.region value",
        "connection.region is not a Huawei Cloud region id",
        "property connection.connectTimeoutSeconds value",
        'connection.connectTimeoutSeconds must be a whole number from 1 to 600, got "-5"',
        "property connection.endpoints.dis value",
        "connection.endpoints.dis must use https://",
      ],
    },
    {
      name: "the stack config: an AK without its SK, a non-numeric number, an endpoint with a fragment",
      config: () => ({
        ...plain({ region: d.region, projectId: d.projectId, authUrl: emu.url, accessKey: d.accessKey }),
        "huaweicloud:endpoints": {
          value: JSON.stringify({ dis: emu.url, metastudio: `${emu.url}/#top`, bss: emu.url }),
        },
        "huaweicloud-orders:maxRetries": { value: "lots" },
      }),
      named: () => [
        "huaweicloud:accessKey is set but huaweicloud:secretKey is not: AK/SK needs both (from the stack's configuration)",
        'huaweicloud-orders:maxRetries must be a whole number from 0 to 20, got "lots" (from the stack\'s configuration)',
        "huaweicloud:endpoints.metastudio must not carry a query, fragment or user info",
      ],
    },
    {
      name: "the environment: a user without password or domain, a negative number, an endpoint with a query",
      config: () => ({}),
      env: () => ({
        HW_REGION_NAME: d.region,
        HUAWEICLOUD_ORDERS_DIS_ENDPOINT: emu.url,
        HW_AUTH_URL: `${emu.url}/v3?x=1`,
        HW_USER_NAME: d.userName,
        HUAWEICLOUD_ORDERS_RESPONSE_TIMEOUT_SECONDS: "-1",
      }),
      named: () => [
        "IAM password authentication needs userName, password and domainName; missing: HW_USER_PASSWORD, HW_DOMAIN_NAME (from the environment)",
        'HUAWEICLOUD_ORDERS_RESPONSE_TIMEOUT_SECONDS must be a whole number from 1 to 3600, got "-1" (from the environment)',
        "HW_AUTH_URL must not carry a query, fragment or user info",
      ],
    },
    {
      name: "no layer at all: no region, no credentials",
      config: () => emulatorConfig(),
      named: () => ["no Huawei Cloud region is set", "no Huawei Cloud credentials found"],
    },
    {
      name: "the stack config: an old and a new name at odds, an unknown huaweicloud-orders: key, a plain-http endpoints entry",
      config: () => ({
        ...emu.stackConfig("token"),
        "huaweicloud:authToken": { value: "another-token-0001", secret: true },
        "huaweicloud-orders:maxNewOrder": { value: "1" },
        "huaweicloud:endpoints": {
          value: JSON.stringify({ dis: "http://dis.example.test", metastudio: emu.url, bss: emu.url }),
        },
      }),
      named: () => [
        "huaweicloud:authToken (the previous release's name) and huaweicloud:token are both set, to different values",
        "huaweicloud-orders:maxNewOrder is not a setting of this package; did you mean huaweicloud-orders:maxNewOrders?",
        "huaweicloud:endpoints.dis must use https://",
      ],
    },
    {
      name: "a hostile region with every endpoint overridden (it once placed an order)",
      config: () => ({ ...emu.stackConfig("password"), "huaweicloud:region": { value: "cn north 4!" } }),
      named: () => ["huaweicloud:region is not a Huawei Cloud region id", '"cn north 4!"'],
      up: true,
    },
    {
      name: "a region that would point IAM at a loopback listener, with the password in the environment",
      config: () => ({}),
      env: () => ({
        HW_REGION_NAME: `x@127.0.0.1:${listenerPort}/#`,
        HW_USER_NAME: d.userName,
        HW_USER_PASSWORD: d.password,
        HW_DOMAIN_NAME: d.domainName,
        HUAWEICLOUD_ORDERS_DIS_ENDPOINT: emu.url,
      }),
      named: () => ["HW_REGION_NAME is not a Huawei Cloud region id", "(from the environment)"],
      up: true,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: preview${c.up ? " and up fail" : " fails"}, naming each setting; nothing is sent`, async function () {
      emu.reset();
      connections = 0;
      const temp = await suite.stack("raw-orders", { credentials: "none", env: c.env?.() ?? {} });
      try {
        const args = { orderId: "CS2511071586MU", ...(c.connection ? { connection: c.connection } : {}) };
        await temp.configureMap({
          ...c.config(),
          resources: { value: JSON.stringify([{ kind: "dis", name: "order", args }]) },
        });
        const runs = c.up ? [() => temp.preview(), () => temp.up()] : [() => temp.preview()];
        for (const run of runs) {
          await assert.rejects(run(), (err: Error) => {
            for (const text of c.named()) {
              assert.ok(
                err.message.includes(text),
                `the error names ${JSON.stringify(text)}:\n${err.message}`,
              );
            }
            assert.ok(!err.message.includes(d.password), "the error holds the password");
            return true;
          });
        }
        assert.deepEqual(emu.requests(), [], "the emulator received a request");
        assert.equal(connections, 0, "the loopback listener saw a connection");
        assert.deepEqual((await temp.state()).orders, [], "an order is in the state");
      } finally {
        await temp.dispose();
      }
    });
  }

  it("the connection input places both orders; none of its credentials nor the issued token is written or shown", async function () {
    emu.reset();
    const temp = await suite.stack("orders", { credentials: "none" });
    try {
      const connection = {
        region: d.region,
        projectId: d.projectId,
        ...emulatorEndpoints(),
        userName: d.userName,
        password: d.password,
        domainName: d.domainName,
        maxRetries: 2,
      };
      await temp.stack.setAllConfig({
        projectId: { value: d.projectId },
        connection: { value: JSON.stringify(connection), secret: true },
      });
      await temp.preview();
      const up = await temp.up();
      assert.deepEqual(up.summary.resourceChanges, { create: 3 });
      assert.equal(emu.orders().length, 2);
      // One project-scoped token, shared by both orders (BSS's price inquiry takes a domain-scoped one).
      assert.equal(emu.projectTokenRequests().length, 1, "one token, shared by both");
      // A change the orders ignore, then destroy: more runs that read and rewrite the state.
      await temp.stack.setConfig("connection", {
        value: JSON.stringify({ ...connection, maxRetries: 3 }),
        secret: true,
      });
      assert.deepEqual((await temp.up()).summary.resourceChanges, { same: 3 });
      const written = await temp.backendFiles();
      await temp.destroy();
      const output = temp.output();
      written.push(...(await temp.backendFiles()));
      // Region and project id are the orders' outputs by design; the endpoints and the identity are not.
      const hidden = [d.password, d.userName, d.domainName, emu.url];
      for (const { file, text } of written) {
        for (const value of hidden) assert.ok(!text.includes(value), `${file} holds ${value}`);
        // The emulator's IAM tokens all start "MIIemu" (emulator/iam.ts).
        assert.ok(!text.includes("MIIemu"), `${file} holds an issued IAM token`);
      }
      for (const value of hidden) assert.ok(!output.includes(value), `the engine output holds ${value}`);
      assert.ok(!output.includes("MIIemu"), "the engine output holds an issued IAM token");
    } finally {
      await temp.dispose();
    }
  });

  it("AK/SK without a project id: IAM is asked the region's project once, and the order is signed and recorded with it", async function () {
    emu.reset();
    const { "huaweicloud:projectId": _unset, ...config } = emu.stackConfig("aksk");
    const temp = await suite.stack("raw-orders", { credentials: "none" });
    try {
      const resources = [{ kind: "dis", name: "order", args: { orderId: "CS2511071586MU" } }];
      await temp.configureMap({ ...config, ...configMap({ resources }) });
      const up = await temp.up();
      assert.deepEqual(up.summary.resourceChanges, { create: 2 });
      const lookups = emu.requests().filter((r) => r.service === "iam" && r.path === "/v3/projects");
      assert.deepEqual(
        lookups.map((r) => [r.method, r.query, r.status, r.headers["x-project-id"]]),
        [["GET", { name: d.region }, 200, undefined]],
        "one lookup, by the region's name, signed without a project",
      );
      const orders = emu.orderRequests();
      assert.deepEqual(
        orders.map((r) => [r.service, r.status, r.headers["x-project-id"]]),
        [["dis", 200, d.projectId]],
      );
      assert.equal(emu.orders().length, 1);
      const order = (await temp.state()).resource("order");
      assert.equal(order.outputs["projectId"], d.projectId, "the order records the project it was placed in");
    } finally {
      await temp.dispose();
    }
  });

  it("a stack configured the previous release's way still orders, warning once per old name; an unchanged order then needs no credentials", async function () {
    emu.reset();
    const config = previousReleaseKeys(emu.stackConfig("token"));
    // A connection input too, with the project-scoped token under its old name.
    const connection = { authToken: config["huaweicloud:authToken"]?.value };
    const channel = "hws.resource.type.metastudio.modeling.avatarlive.channel";
    const resources = [
      { kind: "dis", name: "order", args: { orderId: "CS2511071586MU" } },
      {
        kind: "metastudio",
        name: "channels",
        args: {
          cloudServices: [{ periodType: 2, periodNum: 1, subscriptionNum: 1, resourceSpecCode: channel }],
          connection,
        },
      },
    ];
    const temp = await suite.stack("raw-orders", { credentials: "none" });
    try {
      await temp.configureMap({ ...config, ...configMap({ resources }) });
      await temp.up();
      assert.equal(emu.orders().length, 2);
      const output = temp.output();
      const diagnostics = output.split("\nDiagnostics:")[1] ?? "";
      for (const [old, now] of [
        ["huaweicloud:authToken", "huaweicloud:token"],
        ["huaweicloud:domainAuthToken", "huaweicloud-orders:domainAuthToken"],
        ["huaweicloud:disEndpoint", "huaweicloud:endpoints.dis"],
        ["huaweicloud:bssEndpoint", "huaweicloud:endpoints.bss"],
        ["huaweicloud:orderReconcileSeconds", "huaweicloud-orders:orderReconcileSeconds"],
        ["connection.authToken", "connection.token"],
      ]) {
        const warning = `${old} is the previous release's name of ${now}, read in this release only`;
        assert.equal(diagnostics.split(warning).length - 1, 1, `warned once: ${warning}\n${output}`);
      }
      // The DIS order holds no connection: unchanged, it needs no credentials at all.
      await temp.stack.removeAllConfig(["huaweicloud:authToken", "huaweicloud:region"]);
      const up = await temp.up();
      assert.deepEqual(up.summary.resourceChanges, { same: 3 });
      assert.equal(emu.orders().length, 2);
    } finally {
      await temp.dispose();
    }
  });

  /** The emulator's stack config under the names the previous release read. */
  function previousReleaseKeys(config: ConfigMap): ConfigMap {
    const { "huaweicloud:endpoints": endpoints, ...rest } = config;
    const renamed = Object.entries(rest).map(([key, value]) => {
      const old =
        key === "huaweicloud:token"
          ? "huaweicloud:authToken"
          : key.replace(/^huaweicloud-orders:/, "huaweicloud:");
      return [old, value] as const;
    });
    const services = Object.entries(JSON.parse(endpoints?.value ?? "{}") as Record<string, string>);
    return Object.fromEntries([
      ...renamed,
      ...services.map(([service, url]) => [`huaweicloud:${service}Endpoint`, { value: url }] as const),
    ]);
  }
});
