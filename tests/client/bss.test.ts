import * as assert from "node:assert/strict";
import { DEMO_ACCOUNT, type RunningEmulator } from "../../emulator";
import {
  bss,
  HuaweiCloudClient,
  HuaweiCloudError,
  metastudioResources,
  OrderOutcomeUnknownError,
  OutcomeUnknownError,
  resolveSettings,
  UnexpectedAnswerError,
  type ClientSettingsInput,
} from "../../provider/client";
import { FakeClock, METASTUDIO_PATH, metastudioOrderBody, send, useEmulator } from "../emulator/helpers";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server";

const d = DEMO_ACCOUNT;
const DELAY = 1000;

describe("the billing client (BSS) and MetaStudio's tenant resources", function () {
  const clock = new FakeClock();
  const emulator = useEmulator({ clock: clock.now, billingDelayMs: DELAY });
  let emu: RunningEmulator;
  beforeEach(function () {
    emu = emulator();
  });

  /** A client of the emulator, on its clock, that records its waits instead of sleeping. */
  function clientWith(credentials: ClientSettingsInput) {
    const settings = resolveSettings({
      explicit: {
        region: d.region,
        projectId: d.projectId,
        authUrl: emu.url,
        endpoints: { dis: emu.url, metastudio: emu.url, bss: emu.url },
        ...credentials,
      },
    });
    const waits: number[] = [];
    const client = new HuaweiCloudClient(settings, {
      now: () => new Date(clock.ms),
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
    });
    return { client, waits };
  }

  /** A project-scoped token for MetaStudio and DIS, a domain-scoped one for BSS. */
  const readyTokens = (): ClientSettingsInput => ({
    token: emu.issueToken(),
    domainAuthToken: emu.issueToken({ scope: "domain" }),
  });

  async function placeMetastudio(isAutoPay: 0 | 1, periodType = 2): Promise<string> {
    const answer = await send(emu.url, {
      path: METASTUDIO_PATH,
      headers: { "X-Auth-Token": emu.issueToken() },
      json: metastudioOrderBody({ is_auto_pay: isAutoPay, period_type: periodType }),
    });
    assert.equal(answer.status, 200, answer.text);
    return (answer.json() as { order_id: string }).order_id;
  }

  const bssRequests = () => emu.requests().filter((r) => r.service === "bss");

  const kinds: { name: string; credentials: () => ClientSettingsInput }[] = [
    {
      name: "ready IAM tokens (a project-scoped token, a domain-scoped domainAuthToken)",
      credentials: () => readyTokens(),
    },
    {
      name: "user name and password (a domain-scoped token from IAM)",
      credentials: () => ({ userName: d.userName, password: d.password, domainName: d.domainName }),
    },
    {
      name: "AK/SK (the domain id asked of IAM once)",
      credentials: () => ({ accessKey: d.accessKey, secretKey: d.secretKey }),
    },
  ];

  for (const kind of kinds) {
    it(`with ${kind.name}: pays, follows the order to completed, reads and unsubscribes its resources`, async function () {
      const { client } = clientWith(kind.credentials());
      const createdFrom = new Date(clock.ms);
      const orderId = await placeMetastudio(0);

      const pending = await bss.orderDetails(client, orderId);
      assert.equal(bss.describeOrderStatus(pending.status), "6 (pending payment)");
      assert.equal(pending.orderType, 1);
      assert.equal(pending.paidAt, undefined);
      assert.equal(pending.lineItems.length, 1);
      assert.ok(pending.requestId);

      await bss.payOrder(client, orderId);
      const processing = await bss.orderDetails(client, orderId);
      assert.equal(processing.status, bss.ORDER_STATUS.processing);
      assert.equal(processing.paidAt?.getTime(), Math.floor(clock.ms / 1000) * 1000);
      clock.advance(DELAY);
      const completed = await bss.orderDetails(client, orderId);
      assert.equal(completed.status, bss.ORDER_STATUS.completed);
      assert.deepEqual([completed.officialAmount, completed.currency], [10, "CNY"]);
      const expiresAt = completed.lineItems[0]?.expiresAt;
      assert.ok(expiresAt instanceof Date);

      const listed = await bss.listAllOrders(client, {
        createdFrom,
        createdTo: new Date(clock.ms),
        serviceTypeCode: "hws.service.type.metastudio",
      });
      assert.deepEqual(
        listed.map((o) => [o.orderId, o.status]),
        [[orderId, 5]],
      );

      const resources = await bss.allOrderResources(client, { orderId });
      assert.equal(resources.length, 1);
      const resource = resources[0];
      assert.equal(resource?.isMainResource, true);
      assert.equal(bss.describeResourceStatus(resource?.status ?? 0), "2 (in use)");
      assert.equal(resource?.expiresAt?.getTime(), expiresAt.getTime());
      const tenant = await metastudioResources.tenantResources(client, { orderId });
      assert.deepEqual(
        tenant.resources.map((r) => [r.resourceId, r.chargingMode, r.expiresAt?.getTime()]),
        [[resource?.resourceId, "PERIODIC", expiresAt.getTime()]],
      );

      const unsubscribed = await bss.unsubscribeResources(client, [resource?.resourceId ?? ""]);
      assert.equal(unsubscribed.orderIds.length, 1);
      assert.deepEqual(unsubscribed.failures, []);
      clock.advance(DELAY);
      assert.deepEqual(await bss.allOrderResources(client, { orderId }), []);
      const unsubscribeOrder = await bss.orderDetails(client, unsubscribed.orderIds[0] ?? "");
      assert.deepEqual([unsubscribeOrder.orderType, unsubscribeOrder.status], [4, 5]);

      // How each kind authenticated: the emulator refuses anything but the domain scope on BSS.
      assert.ok(bssRequests().every((r) => r.status !== null && r.status < 300));
      const iam = emu.requests().filter((r) => r.service === "iam");
      if (kind.name.startsWith("AK/SK")) {
        assert.deepEqual(
          iam.map((r) => `${r.method} ${r.path}`),
          ["GET /v3/auth/domains"],
          "the domain id is asked once",
        );
        assert.ok(bssRequests().every((r) => r.headers["x-domain-id"] === d.domainId));
      } else if (kind.name.startsWith("user name")) {
        const scopes = iam.map((r) => JSON.stringify((r.body as { auth: { scope: unknown } }).auth.scope));
        assert.deepEqual(scopes, [
          JSON.stringify({ domain: { name: d.domainName } }),
          JSON.stringify({ project: { id: d.projectId } }),
        ]);
      } else {
        assert.deepEqual(iam, []);
      }
    });
  }

  it("with AK/SK and huaweicloud:domainId set, IAM is not asked", async function () {
    const { client } = clientWith({ accessKey: d.accessKey, secretKey: d.secretKey, domainId: d.domainId });
    const orderId = await placeMetastudio(1);
    assert.equal((await bss.orderDetails(client, orderId)).status, 3);
    assert.deepEqual(
      emu.requests().filter((r) => r.service === "iam"),
      [],
    );
  });

  it("a ready project-scoped token alone is refused by BSS, and the error names domainAuthToken", async function () {
    const { client } = clientWith({ token: emu.issueToken() });
    const orderId = await placeMetastudio(0);
    await assert.rejects(bss.orderDetails(client, orderId), (err: unknown) => {
      assert.ok(err instanceof HuaweiCloudError);
      assert.match(err.message, /BSS ShowCustomerOrderDetails failed \(HTTP 403, error_code APIGW.0302/);
      assert.match(err.message, /bss:order:view/);
      assert.match(
        err.message,
        /huaweicloud-orders:domainAuthToken \(HUAWEICLOUD_ORDERS_DOMAIN_AUTH_TOKEN\) beside the project-scoped huaweicloud:token/,
      );
      assert.match(err.message, /huaweicloud:endpoints\.bss/);
      return true;
    });
  });

  describe("retries", function () {
    it("retries a read after HTTP 503 and succeeds", async function () {
      const { client, waits } = clientWith(readyTokens());
      const orderId = await placeMetastudio(0);
      emu.injectFaults({ kind: "error", count: 2, status: 503, service: "bss" });
      assert.equal((await bss.orderDetails(client, orderId)).status, 6);
      assert.deepEqual(
        bssRequests().map((r) => r.status),
        [503, 503, 200],
      );
      assert.equal(waits.length, 2);
    });

    it("never sends a payment twice after HTTP 503: the outcome is unknown and says what to check", async function () {
      const { client } = clientWith(readyTokens());
      const orderId = await placeMetastudio(0);
      emu.injectFaults({ kind: "error", count: 1, status: 503, service: "bss" });
      await assert.rejects(bss.payOrder(client, orderId), (err: unknown) => {
        assert.ok(err instanceof OutcomeUnknownError && !(err instanceof OrderOutcomeUnknownError));
        assert.match(err.message, /BSS PayOrders failed \(HTTP 503, error_code CBC.0999/);
        assert.match(err.message, new RegExp(`the outcome of the payment of order ${orderId} is unknown`));
        assert.match(err.message, /status 6 \(pending payment\) means it was not paid/);
        return true;
      });
      assert.equal(bssRequests().filter((r) => r.path.endsWith("/pay")).length, 1);
    });

    it("never sends an unsubscription twice after HTTP 502", async function () {
      const { client } = clientWith(readyTokens());
      const orderId = await placeMetastudio(1);
      clock.advance(DELAY);
      const [resource] = await bss.allOrderResources(client, { orderId });
      emu.injectFaults({ kind: "error", count: 1, status: 502, service: "bss" });
      await assert.rejects(
        bss.unsubscribeResources(client, [resource?.resourceId ?? ""]),
        /the outcome of the unsubscription of .* is unknown/,
      );
      assert.equal(bssRequests().filter((r) => r.path.endsWith("/unsubscribe")).length, 1);
    });

    it("retries a throttled payment (the server did not act on it), then pays once", async function () {
      const { client, waits } = clientWith(readyTokens());
      const orderId = await placeMetastudio(0);
      emu.injectFaults({ kind: "throttle", count: 1, service: "bss", retryAfterSeconds: 2 });
      await bss.payOrder(client, orderId);
      assert.deepEqual(waits, [2000 + 100]);
      assert.equal((await bss.orderDetails(client, orderId)).status, 3);
    });
  });

  it("a refused payment names BSS's code and message, and says the order was not paid", async function () {
    const { client } = clientWith(readyTokens());
    const orderId = await placeMetastudio(0);
    emu.injectFaults({ kind: "payment-refused", count: 1 });
    await assert.rejects(
      bss.payOrder(client, orderId),
      new RegExp(
        `BSS PayOrders failed \\(HTTP 400, error_code CBC.99005003, error_msg "The account balance is insufficient.", X-Request-Id [0-9a-f]{32}, 1 attempt\\): ` +
          `the request was rejected and order ${orderId} was not paid`,
      ),
    );
    assert.equal((await bss.orderDetails(client, orderId)).status, 6);
  });

  it("unsubscribing a one-off purchase is refused as a whole (HTTP 400, as the current page answers; the old 200 with a failure entry is still read), and the arguments are checked first", async function () {
    const { client } = clientWith(readyTokens());
    const orderId = await placeMetastudio(1, 6);
    clock.advance(DELAY);
    const [resource] = await bss.allOrderResources(client, { orderId });
    const id = resource?.resourceId ?? "";
    await assert.rejects(bss.unsubscribeResources(client, [id]), /HTTP 400, error_code CBC\.0100/);
    emu.injectFaults({ kind: "unsubscribe-legacy", count: 1 });
    const result = await bss.unsubscribeResources(client, [id]);
    assert.deepEqual(result.orderIds, []);
    assert.deepEqual(
      result.failures.map((f) => [f.resourceId, f.errorCode]),
      [[id, "CBC.0100"]],
    );
    await assert.rejects(bss.unsubscribeResources(client, []), RangeError);
    await assert.rejects(
      bss.unsubscribeResources(
        client,
        Array.from({ length: 11 }, (_, i) => `r${i}`),
      ),
      RangeError,
    );
    await assert.rejects(
      bss.listOrders(client, { createdFrom: new Date(0), createdTo: new Date(400 * 24 * 3600 * 1000) }),
      /at most one year apart/,
    );
  });
});

describe("answers that are not what the pages promise", function () {
  let server: ScriptedServer;
  let client: HuaweiCloudClient;
  beforeEach(async function () {
    server = await startScriptedServer();
    client = new HuaweiCloudClient(
      resolveSettings({
        explicit: {
          region: "cn-north-4",
          token: "ready-project-token-0001",
          domainAuthToken: "ready-domain-token-0001",
          endpoints: { bss: server.url, metastudio: server.url },
          projectId: d.projectId,
        },
      }),
      { sleep: async () => undefined },
    );
  });
  afterEach(async function () {
    await server.close();
  });

  it("an order without a status is an error that names the call, the field and the request id", async function () {
    server.script({ respond: 200, body: { order_info: { order_id: "CS1" }, order_line_items: [] } });
    await assert.rejects(bss.orderDetails(client, "CS1"), (err: unknown) => {
      assert.ok(err instanceof UnexpectedAnswerError);
      assert.match(
        err.message,
        /^BSS ShowCustomerOrderDetails failed \(HTTP 200, X-Request-Id req-0001, 1 attempt\): the answer is not what the page promises \(order_info\.status: /,
      );
      assert.equal(err.metadata.requestId, "req-0001");
      return true;
    });
    assert.equal(server.received.length, 1, "a malformed answer is not asked again");
  });

  it("details of another order than the one asked for are refused", async function () {
    server.script({ respond: 200, body: { order_info: { order_id: "CS2", status: 5 } } });
    await assert.rejects(bss.orderDetails(client, "CS1"), /the answer is about order CS2, not CS1/);
  });

  it("a status no page lists is passed through as a number, to be named as such", async function () {
    server.script({ respond: 200, body: { total_count: 0, order_info: { order_id: "cs1", status: 7 } } });
    const details = await bss.orderDetails(client, "CS1");
    assert.equal(bss.describeOrderStatus(details.status), "7 (not a status the pages list)");
    assert.deepEqual(details.lineItems, []);
  });

  it("lists, resources, unsubscriptions and tenant resources are checked too", async function () {
    server.script(
      { respond: 200, body: { order_infos: [] } },
      { respond: 200, body: { total_count: 1, data: [{ resource_id: "r1", status: "2" }] } },
      { respond: 200, body: { order_ids: "CS9" } },
      {
        respond: 200,
        body: { resources: [{ resource_id: "r1", resource_expire_time: "tomorrow" }], count: 1 },
      },
    );
    await assert.rejects(bss.listOrders(client, {}), /ListCustomerOrders failed .*total_count: /);
    await assert.rejects(
      bss.orderResources(client, { orderId: "CS1" }),
      /ListPayPerUseCustomerResources failed .*data\.0\.status: /,
    );
    await assert.rejects(
      bss.unsubscribeResources(client, ["r1"]),
      /CancelResourcesSubscription failed .*order_ids: /,
    );
    await assert.rejects(
      metastudioResources.tenantResources(client, { orderId: "CS1" }),
      /MetaStudio ListTenantResources failed .*resources\.0\.resource_expire_time: must be a time/,
    );
  });

  it("sends the query a list asks for, in BSS's time format, with the ready token", async function () {
    server.script({ respond: 200, body: { total_count: 0 } });
    const page = await bss.listOrders(client, {
      createdFrom: new Date("2026-11-25T04:00:00.250Z"),
      createdTo: new Date("2026-11-25T05:00:00Z"),
      serviceTypeCode: "hws.service.type.metastudio",
      status: 5,
      oldestFirst: true,
    });
    assert.deepEqual(page.items, []);
    const url = new URL(server.received[0]?.url ?? "", server.url);
    assert.equal(url.pathname, "/v2/orders/customer-orders");
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      create_time_begin: "2026-11-25T04:00:00Z",
      create_time_end: "2026-11-25T05:00:00Z",
      service_type_code: "hws.service.type.metastudio",
      status: "5",
      limit: "100",
      offset: "0",
      order_by: "createTime",
    });
    assert.equal(server.received[0]?.headers["x-auth-token"], "ready-domain-token-0001");
  });
});
