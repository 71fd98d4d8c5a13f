// What the emulator remembers: accepted orders, a log of requests, and the tokens IAM issued.
// Kept in memory and, with a data file, written after every change (to a temporary file that is
// then renamed over the old one, so a crash leaves the old or the new file, never half of one).
// Secrets never reach it: request headers are redacted before they get here, IAM passwords are
// masked out of logged bodies, and tokens are kept only as SHA-256 digests.
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { type BillingData, billingDataSchema, emptyBilling } from "./billing-records";
import { defaultPriceTable, type PriceTable, priceTableSchema } from "./pricing";
import { FAULT_KINDS, type OrderRecord, type OrderService, type RequestLogEntry } from "./types";

export interface TokenRecord {
  /** SHA-256 of the token: the token itself is never stored. */
  digest: string;
  issuedAt: number;
  expiresAt: number;
  /** Set for a project-scoped token; absent for a domain-scoped (global) one. */
  projectId?: string;
  projectName?: string;
  domainName: string;
  userName: string;
}

/** The request log keeps this many entries, the oldest dropped first. */
export const REQUEST_LOG_LIMIT = 5000;

const FILE_FORMAT = "huawei-cloud-emulator/1";

const recordedRequest = z.object({
  method: z.string(),
  path: z.string(),
  query: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  headers: z.record(z.string(), z.string()),
  body: z.unknown().optional(),
});

const dataFile = z.object({
  format: z.literal(FILE_FORMAT),
  orders: z.array(
    z.object({
      service: z.enum(["dis", "metastudio"]),
      orderId: z.string(),
      projectId: z.string(),
      receivedAt: z.string(),
      requestId: z.string(),
      auth: z.enum(["token", "aksk"]),
      request: recordedRequest,
    }),
  ),
  requests: z.array(
    recordedRequest.extend({
      requestId: z.string(),
      receivedAt: z.string(),
      service: z.enum(["iam", "dis", "metastudio", "bss", "unknown"]),
      status: z.number().nullable(),
      errorCode: z.string().optional(),
      note: z.string().optional(),
      faults: z.array(z.enum(FAULT_KINDS)).optional(),
    }),
  ),
  tokens: z.array(
    z.object({
      digest: z.string(),
      issuedAt: z.number(),
      expiresAt: z.number(),
      projectId: z.string().optional(),
      projectName: z.string().optional(),
      domainName: z.string(),
      userName: z.string(),
    }),
  ),
  // Files written before the emulator learned BSS have no billing section.
  billing: billingDataSchema.optional(),
  // The price inquiry's table (emulator/pricing.ts); absent: the default table.
  pricing: priceTableSchema.optional(),
});

export class State {
  private orders: OrderRecord[] = [];
  private requests: RequestLogEntry[] = [];
  private readonly tokens = new Map<string, TokenRecord>();
  /** BSS's customer orders and resources; emulator/billing.ts changes them, then calls save(). */
  billing: BillingData = emptyBilling();
  /** The period price inquiry's table: configuration, kept across reset(). */
  pricing: PriceTable = defaultPriceTable();

  /** Loads `file` if it exists; a file that is not the emulator's format is an error, never overwritten. */
  constructor(private readonly file?: string) {
    if (file === undefined || !fs.existsSync(file)) return;
    let parsed: z.infer<typeof dataFile>;
    try {
      parsed = dataFile.parse(JSON.parse(fs.readFileSync(file, "utf8")));
    } catch (err) {
      throw new Error(
        `${file} is not an emulator data file (${err instanceof Error ? err.message : String(err)})`,
      );
    }
    this.orders = parsed.orders;
    this.requests = parsed.requests;
    this.billing = parsed.billing ?? emptyBilling();
    this.pricing = parsed.pricing ?? defaultPriceTable();
    for (const t of parsed.tokens) this.tokens.set(t.digest, t);
  }

  listOrders(service?: OrderService): OrderRecord[] {
    return structuredClone(this.orders.filter((o) => service === undefined || o.service === service));
  }

  listRequests(): RequestLogEntry[] {
    return structuredClone(this.requests);
  }

  hasOrderId(service: OrderService, orderId: string): boolean {
    return this.orders.some((o) => o.service === service && o.orderId === orderId);
  }

  recordOrder(order: OrderRecord): void {
    this.orders.push(structuredClone(order));
    this.save();
  }

  logRequest(entry: RequestLogEntry): void {
    this.requests.push(structuredClone(entry));
    if (this.requests.length > REQUEST_LOG_LIMIT)
      this.requests.splice(0, this.requests.length - REQUEST_LOG_LIMIT);
    this.save();
  }

  addToken(token: TokenRecord): void {
    this.tokens.set(token.digest, { ...token });
    this.save();
  }

  findToken(digest: string): TokenRecord | undefined {
    const t = this.tokens.get(digest);
    return t && { ...t };
  }

  /** Makes every token issued so far expire at `now`; returns how many were still valid. */
  expireTokens(now: number): number {
    let count = 0;
    for (const t of this.tokens.values()) {
      if (t.expiresAt > now) {
        t.expiresAt = now;
        count++;
      }
    }
    this.save();
    return count;
  }

  reset(): void {
    this.orders = [];
    this.requests = [];
    this.tokens.clear();
    this.billing = emptyBilling();
    this.save();
  }

  save(): void {
    if (this.file === undefined) return;
    const content = JSON.stringify(
      {
        format: FILE_FORMAT,
        orders: this.orders,
        requests: this.requests,
        tokens: [...this.tokens.values()],
        billing: this.billing,
        pricing: this.pricing,
      },
      null,
      1,
    );
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(temp, "w", 0o600);
    try {
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, this.file);
  }
}
