// The Huawei Cloud emulator as the engine tests use it: started in the mocha process on a free
// loopback port, reached by the dynamic-provider process over HTTP, and the stack config that
// points a program at it with one of the three kinds of credentials.
import type { ConfigMap } from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import {
  DEMO_ACCOUNT,
  type EmulatorOptions,
  type OrderRecord,
  type OrderService,
  type RequestLogEntry,
  type RunningEmulator,
  startEmulator,
} from "../../emulator";

export type CredentialKind = "token" | "password" | "aksk";

export interface Harness {
  /** The emulator itself, for what the shortcuts below do not cover. */
  readonly emulator: RunningEmulator;
  readonly url: string;
  readonly projectId: string;
  /**
   * Stack config for the emulator: shared keys in `huaweicloud:`, this package's own in
   * `huaweicloud-orders:`; credentials are secrets, as an operator would set them.
   */
  stackConfig(kind: CredentialKind): ConfigMap;
  /** The credential values a `kind` stack was given, for "never in the clear" checks. */
  secrets(kind: CredentialKind): string[];
  reset(): void;
  orders(service?: OrderService): OrderRecord[];
  requests(): RequestLogEntry[];
  /** Requests that reached DIS or MetaStudio, whatever their answer. */
  orderRequests(): RequestLogEntry[];
  /**
   * Every request but the BSS reads a preview may send for the orders it would place: price
   * inquiries (docs/price-and-policy.md "The price at preview") and the duplicate guard's look at recent orders
   * (docs/recovery.md "The engine interrupted while creating"). "Nothing was sent" means none of these.
   */
  requestsBesidesPreviewReads(): RequestLogEntry[];
  /** BSS's price inquiries. */
  priceInquiries(): RequestLogEntry[];
  /** IAM token requests scoped to a project (the regional order APIs'), not BSS's domain-scoped ones. */
  projectTokenRequests(): RequestLogEntry[];
  /** The one DIS and the one MetaStudio order the emulator holds; fails unless it holds exactly those. */
  oneOrderOfEach(): { dis: OrderRecord; metastudio: OrderRecord };
  throttleNext(count: number): void;
  dropNextOrder(service: OrderService): void;
  /**
   * A one-item MetaStudio order placed outside any stack, straight through the API (a monthly
   * avatar channel unless told otherwise); resolves with its id.
   */
  outsideMetaStudioOrder(item?: {
    subscription_num?: number;
    resource_spec_code?: string;
    is_auto_pay?: 0 | 1;
  }): Promise<string>;
  /** The account's owner pays an order outside Pulumi, through BSS (as in the console). */
  payAsOwner(orderId: string): Promise<void>;
  /** The next token-authenticated order of `service` finds its token expired (a 401 in flight). */
  expireTokenInFlight(service: OrderService): void;
  stop(): Promise<void>;
}

/** `options`: the emulator's (a test's clock, for one). */
export async function emulatorHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emu = await startEmulator(options);
  const tokens: string[] = [];
  const d = DEMO_ACCOUNT;
  const secret = (value: string) => ({ value, secret: true });
  return {
    emulator: emu,
    url: emu.url,
    projectId: d.projectId,
    stackConfig(kind) {
      const common: ConfigMap = {
        "huaweicloud:region": { value: d.region },
        "huaweicloud:projectId": { value: d.projectId },
        "huaweicloud:authUrl": { value: emu.url },
        // A map, which the engine hands a dynamic provider as its JSON text, as it does this one.
        "huaweicloud:endpoints": {
          value: JSON.stringify({ dis: emu.url, metastudio: emu.url, bss: emu.url }),
        },
        // The emulator's BSS shows an order at once unless a bss-lag fault says otherwise.
        "huaweicloud-orders:orderReconcileSeconds": { value: "1" },
      };
      switch (kind) {
        case "token": {
          // issueToken after any reset(): reset forgets the tokens issued before it.
          const token = emu.issueToken();
          // BSS is global: ready tokens come in pairs (README, Configuration).
          const domainToken = emu.issueToken({ scope: "domain" });
          tokens.push(token, domainToken);
          return {
            ...common,
            "huaweicloud:token": secret(token),
            "huaweicloud-orders:domainAuthToken": secret(domainToken),
          };
        }
        case "password":
          return {
            ...common,
            "huaweicloud:userName": { value: d.userName },
            "huaweicloud:password": secret(d.password),
            "huaweicloud:domainName": { value: d.domainName },
          };
        case "aksk":
          return {
            ...common,
            "huaweicloud:accessKey": { value: d.accessKey },
            "huaweicloud:secretKey": secret(d.secretKey),
          };
      }
    },
    secrets(kind) {
      switch (kind) {
        case "token":
          return [...tokens];
        case "password":
          return [d.password];
        case "aksk":
          return [d.secretKey];
      }
    },
    reset: () => emu.reset(),
    orders: (service) => emu.orders(service),
    requests: () => emu.requests(),
    orderRequests: () => emu.requests().filter((r) => r.service === "dis" || r.service === "metastudio"),
    requestsBesidesPreviewReads: () => emu.requests().filter((r) => !isPreviewRead(r)),
    priceInquiries: () => emu.requests().filter(isPriceInquiry),
    projectTokenRequests: () =>
      emu
        .requests()
        .filter(
          (r) =>
            r.service === "iam" &&
            r.path === "/v3/auth/tokens" &&
            (r.body as { auth?: { scope?: { project?: unknown } } } | undefined)?.auth?.scope?.project !==
              undefined,
        ),
    oneOrderOfEach() {
      const [dis, ...moreDis] = emu.orders("dis");
      const [metastudio, ...moreMetastudio] = emu.orders("metastudio");
      assert.ok(dis && metastudio, "one order of each kind");
      assert.equal(moreDis.length + moreMetastudio.length, 0, "no more than one order of each kind");
      return { dis, metastudio };
    },
    throttleNext: (count) => void emu.injectFaults({ kind: "throttle", count }),
    dropNextOrder: (service) => void emu.injectFaults({ kind: "drop", count: 1, service }),
    async outsideMetaStudioOrder(item = {}) {
      const answer = await fetch(`${emu.url}/v1/${d.projectId}/mss/public/orders`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-auth-token": emu.issueToken() },
        body: JSON.stringify({
          cloud_services: [
            {
              period_type: 2,
              period_num: 1,
              subscription_num: 1,
              resource_spec_code: "hws.resource.type.metastudio.modeling.avatarlive.channel",
              ...item,
            },
          ],
        }),
      });
      assert.equal(answer.status, 200, await answer.clone().text());
      return ((await answer.json()) as { order_id: string }).order_id;
    },
    async payAsOwner(orderId) {
      const answer = await fetch(`${emu.url}/v3/orders/customer-orders/pay`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-auth-token": emu.issueToken({ scope: "domain" }),
        },
        body: JSON.stringify({ order_id: orderId, use_coupon: "NO", use_discount: "NO" }),
      });
      assert.equal(answer.status, 204, await answer.clone().text());
    },
    expireTokenInFlight: (service) => void emu.injectFaults({ kind: "token-expiry", count: 1, service }),
    stop: () => emu.stop(),
  };
}

const isPriceInquiry = (r: RequestLogEntry) => r.path === "/v2/bills/ratings/period-resources/subscribe-rate";

/** A price inquiry, a read of the account's orders or of BSS's service types: a BSS request that changes nothing. */
function isPreviewRead(r: RequestLogEntry): boolean {
  return (
    isPriceInquiry(r) ||
    (r.method === "GET" && r.path === "/v2/products/service-types") ||
    (r.method === "GET" && r.path.startsWith("/v2/orders/customer-orders")) ||
    (r.method === "POST" && r.path === "/v2/orders/suscriptions/resources/query")
  );
}
