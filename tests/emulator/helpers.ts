// Shared by the emulator's tests: a raw HTTP client (so tests control every header and byte),
// requests signed with Huawei's official SDK signer, and the pages' example requests.
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import type { ICredential } from "@huaweicloud/huaweicloud-sdk-core/auth/ICredential";
import * as http from "node:http";
import { DEMO_ACCOUNT, type EmulatorOptions, type RunningEmulator, startEmulator } from "../../emulator";

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): unknown;
}

export interface Send {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent as JSON with Content-Type application/json (unless `headers` sets another). */
  json?: unknown;
  /** Sent as is, with no Content-Type unless `headers` sets one. */
  body?: string | Buffer;
}

export function send(baseUrl: string, request: Send): Promise<Answer> {
  const body = request.json === undefined ? request.body : JSON.stringify(request.json);
  const headers = {
    ...(request.json === undefined ? {} : { "Content-Type": "application/json" }),
    ...request.headers,
  };
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(request.path, baseUrl),
      { method: request.method ?? "POST", headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as unknown,
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The error code of a Huawei error body ({error_code, error_msg}). */
export function errorOf(answer: Answer): { code: string; message: string } {
  const body = answer.json() as { error_code?: string; error_msg?: string };
  return { code: body.error_code ?? "", message: body.error_msg ?? "" };
}

export interface SignOptions {
  baseUrl: string;
  path: string;
  method?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  data?: Record<string, unknown>;
  accessKey?: string;
  secretKey?: string;
}

/**
 * Headers signed by Huawei's official Node SDK signer (AKSKSigner.sign), the reference client.
 * It hashes JSON.stringify(data), so the body to send is exactly that string.
 */
export function officiallySigned(options: SignOptions): {
  headers: Record<string, string>;
  body: string | undefined;
} {
  const credential = {
    getAk: () => options.accessKey ?? DEMO_ACCOUNT.accessKey,
    getSk: () => options.secretKey ?? DEMO_ACCOUNT.secretKey,
  } as unknown as ICredential;
  const headers = AKSKSigner.sign(
    {
      endpoint: new URL(options.path, options.baseUrl).toString(),
      method: options.method ?? "POST",
      headers: { "Content-Type": "application/json", ...options.headers },
      queryParams: options.query ?? {},
      data: options.data,
    },
    credential,
  ) as Record<string, string>;
  return { headers, body: options.data === undefined ? undefined : JSON.stringify(options.data) };
}

/** An X-Sdk-Date value for `ms` (YYYYMMDDTHHMMSSZ). */
export function sdkDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

/** The DIS page's example request, verbatim. */
export const DIS_PAGE_EXAMPLE = {
  cloudServices: {
    avalibleZoneId: "",
    chargingMode: 0,
    cloudServiceEndpoint: "",
    cloudServiceForm: {
      projectid: "5d5916d21xxx46efbe7c2e93bd1xxxce",
      orderid: "CS25110715xxx86MU",
      cloudServiceType: "hws.service.type.dis",
    },
    cloudServiceType: "hws.service.type.dis",
    isAutoRenew: 0,
    isTrial: 0,
    paymentMode: 0,
    periodNum: 1,
    periodType: 2,
    productInfos: {
      cloudServiceType: "hws.service.type.dis",
      productId: "00301-261175-0--0",
      resourceSpecCode: "dis.general.partition.duration.pkg",
      resourceType: "hws.resource.type.dis",
    },
    regionId: "cn-north-x",
    subscriptionNum: 1,
  },
  discountId: "",
  purchaseMode: 1,
  tenantId: "5d5916d21xxx46efbe7c2e93bd1xxxce",
};

/** The page gives no example request; this one fills every field of its table. */
export const METASTUDIO_FROM_TABLE = {
  cloud_services: [
    {
      is_auto_pay: 0,
      period_type: 2,
      period_num: 1,
      is_auto_renew: 0,
      subscription_num: 1,
      resource_spec_code: "hws.resource.type.metastudio.modeling.avatarlive.channel",
    },
  ],
};

export const DIS_PATH = "/v2/orders/CS2511071586MU";

let disOrders = 0;
/** A DIS order path with an order id not used before: the emulator takes each order id once. */
export function nextDisPath(): string {
  disOrders += 1;
  return `/v2/orders/CS${String(disOrders).padStart(10, "0")}`;
}
export const METASTUDIO_PATH = `/v1/${DEMO_ACCOUNT.projectId}/mss/public/orders`;

/** A fake clock the tests move by hand. */
export class FakeClock {
  constructor(public ms = Date.UTC(2026, 10, 25, 4, 5, 6)) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** IAM's documented request body, for the demo user unless told otherwise. */
export function tokenRequest(
  options: {
    user?: string;
    password?: string;
    domain?: Record<string, string>;
    scope?: Record<string, string>;
  } = {},
) {
  return {
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: {
            name: options.user ?? DEMO_ACCOUNT.userName,
            password: options.password ?? DEMO_ACCOUNT.password,
            domain: options.domain ?? { name: DEMO_ACCOUNT.domainName },
          },
        },
      },
      scope: { project: options.scope ?? { name: DEMO_ACCOUNT.region } },
    },
  };
}

/** Logs a user in through IAM (the demo user unless told otherwise); the token from X-Subject-Token. */
export async function login(
  baseUrl: string,
  options: Parameters<typeof tokenRequest>[0] = {},
): Promise<string> {
  const answer = await send(baseUrl, { path: "/v3/auth/tokens", json: tokenRequest(options) });
  if (answer.status !== 201) throw new Error(`IAM answered ${answer.status}: ${answer.text}`);
  return String(answer.headers["x-subject-token"]);
}

/**
 * One emulator for a describe block: started before its tests, reset before each (before the
 * block's own beforeEach hooks), stopped after. Returns the running emulator.
 */
export function useEmulator(options: EmulatorOptions = {}): () => RunningEmulator {
  let emu: RunningEmulator | undefined;
  before(async function () {
    emu = await startEmulator(options);
  });
  after(async function () {
    await emu?.stop();
  });
  beforeEach(function () {
    emu?.reset();
  });
  return () => {
    if (!emu) throw new Error("the emulator is not running");
    return emu;
  };
}

/** A MetaStudio order of one monthly channel per element, each element's fields overridable. */
export function metastudioOrderBody(
  ...services: {
    is_auto_pay?: number;
    period_type?: number;
    period_num?: number;
    subscription_num?: number;
  }[]
) {
  return {
    cloud_services: services.map((s) => ({
      period_type: 2,
      period_num: 1,
      subscription_num: 1,
      resource_spec_code: "hws.resource.type.metastudio.modeling.avatarlive.channel",
      ...s,
    })),
  };
}
