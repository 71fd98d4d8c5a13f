// Injected faults: what a real region does on a bad day, on demand. They apply to IAM, DIS and
// MetaStudio requests (never to the admin API), optionally to one service only.
// - throttle:   the next `count` requests get 429 APIGW.0308 with Retry-After;
// - rate-limit: a token bucket (`perSecond`, `burst`); requests above it get the same 429;
// - error:      the next `count` requests get a 5xx before anything is handled (no order placed);
// - latency:    `ms` added before answering (the order, if any, is already recorded);
// - drop:       the next `count` accepted orders are recorded, then the socket is destroyed with
//               no answer at all: the client cannot know whether it ordered (the ambiguous case);
// - error-after-accept: the next `count` accepted orders are recorded, then answered with a 5xx
//               (a gateway or service failing after the order went through: the same ambiguity);
// - token-expiry: the next `count` order requests that carry an X-Auth-Token find every token
//               expired just before they are handled, as if the token lapsed in flight;
// - expire-tokens: not scheduled; every token issued so far expires at once.
// The billing lifecycle (emulator/billing.ts) has its own, applied to the next `count` orders DIS
// or MetaStudio accept (or, for payment-refused, the next `count` payments, auto-pay included):
// - order-stuck:     the order stays in 3 processing;
// - order-cancelled: the order is cancelled (4) once the processing delay has passed;
// - resources-late:  the order completes, its resources are listed only `ms` later;
// - payment-refused: the payment is refused for insufficient balance; the order stays pending.
// - bss-lag:         the order reaches BSS only `ms` after its service accepted it: until then BSS
//                    neither lists it nor shows its details (CBC.30000010), as a replica behind.
// BSS's unsubscription has one, applied to the next `count` unsubscribe requests:
// - unsubscribe-legacy: answered as older tables did: 200, the resources it can unsubscribe in an
//                    order, the others in `fail_resource_infos` with the old codes (CBC.30050009,
//                    CBC.3124), instead of the current page's 400 for the whole request.
import { z } from "zod";
import type { FaultKind, OrderService } from "./types";

export type FaultTarget = "all" | "iam" | "dis" | "metastudio" | "bss";
export type OrderFaultTarget = "all" | OrderService;
export type ErrorStatus = 500 | 502 | 503 | 504;

export type FaultSpec =
  | { kind: "throttle"; count: number; service?: FaultTarget; retryAfterSeconds?: number }
  | { kind: "rate-limit"; perSecond: number; burst?: number; service?: FaultTarget }
  | { kind: "error"; count: number; status?: ErrorStatus; service?: FaultTarget }
  | { kind: "latency"; ms: number; count?: number; service?: FaultTarget }
  | { kind: "drop"; count: number; service?: OrderFaultTarget }
  | { kind: "error-after-accept"; count: number; status?: ErrorStatus; service?: OrderFaultTarget }
  | { kind: "token-expiry"; count: number; service?: OrderFaultTarget }
  | { kind: "order-stuck" | "order-cancelled"; count: number; service?: OrderFaultTarget }
  | { kind: "resources-late" | "bss-lag"; count: number; ms: number; service?: OrderFaultTarget }
  | { kind: "payment-refused"; count: number; service?: OrderFaultTarget }
  | { kind: "unsubscribe-legacy"; count: number }
  | { kind: "expire-tokens" };

/** A scheduled fault as GET /__emulator/faults shows it: `count` is what is left of it. */
export type ActiveFault =
  | { id: number; kind: "throttle"; count: number; service: FaultTarget; retryAfterSeconds: number }
  | { id: number; kind: "rate-limit"; perSecond: number; burst: number; service: FaultTarget }
  | { id: number; kind: "error"; count: number; status: ErrorStatus; service: FaultTarget }
  /** Without `count`, every request until the faults are cleared. */
  | { id: number; kind: "latency"; ms: number; count?: number; service: FaultTarget }
  | { id: number; kind: "drop"; count: number; service: OrderFaultTarget }
  | { id: number; kind: "error-after-accept"; count: number; status: ErrorStatus; service: OrderFaultTarget }
  | { id: number; kind: "token-expiry"; count: number; service: OrderFaultTarget }
  | { id: number; kind: "order-stuck" | "order-cancelled"; count: number; service: OrderFaultTarget }
  | { id: number; kind: "resources-late"; count: number; ms: number; service: OrderFaultTarget }
  | { id: number; kind: "bss-lag"; count: number; ms: number; service: OrderFaultTarget }
  | { id: number; kind: "payment-refused"; count: number; service: OrderFaultTarget }
  | { id: number; kind: "unsubscribe-legacy"; count: number; service: "bss" };

const target = z.enum(["all", "iam", "dis", "metastudio", "bss"]);
const orderTarget = z.enum(["all", "dis", "metastudio"]);
const count = z.number().int().min(1).max(1_000_000);

export const faultSpecSchema: z.ZodType<FaultSpec> = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("throttle"),
    count,
    service: target.optional(),
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  }),
  z.strictObject({
    kind: z.literal("rate-limit"),
    perSecond: z.number().positive().max(1_000_000),
    burst: z.number().int().min(1).max(1_000_000).optional(),
    service: target.optional(),
  }),
  z.strictObject({
    kind: z.literal("error"),
    count,
    status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
    service: target.optional(),
  }),
  z.strictObject({
    kind: z.literal("latency"),
    ms: z.number().int().min(0).max(600_000),
    count: count.optional(),
    service: target.optional(),
  }),
  z.strictObject({
    kind: z.literal("drop"),
    count,
    service: z.enum(["all", "dis", "metastudio"]).optional(),
  }),
  z.strictObject({
    kind: z.literal("error-after-accept"),
    count,
    status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
    service: orderTarget.optional(),
  }),
  z.strictObject({
    kind: z.literal("token-expiry"),
    count,
    service: z.enum(["all", "dis", "metastudio"]).optional(),
  }),
  z.strictObject({ kind: z.literal("order-stuck"), count, service: orderTarget.optional() }),
  z.strictObject({ kind: z.literal("order-cancelled"), count, service: orderTarget.optional() }),
  z.strictObject({
    kind: z.literal("resources-late"),
    count,
    ms: z
      .number()
      .int()
      .min(1)
      .max(366 * 24 * 3600 * 1000),
    service: orderTarget.optional(),
  }),
  z.strictObject({
    kind: z.literal("bss-lag"),
    count,
    ms: z
      .number()
      .int()
      .min(1)
      .max(24 * 3600 * 1000),
    service: orderTarget.optional(),
  }),
  z.strictObject({ kind: z.literal("payment-refused"), count, service: orderTarget.optional() }),
  z.strictObject({ kind: z.literal("unsubscribe-legacy"), count }),
  z.strictObject({ kind: z.literal("expire-tokens") }),
]);

export type GateDecision =
  | { kind: "throttle"; retryAfterSeconds: number; limitPerSecond?: number }
  | { kind: "error"; status: ErrorStatus };

interface Bucket {
  tokens: number;
  at: number;
}

const applies = (fault: { service: string }, service: string) =>
  fault.service === "all" || fault.service === service;

export class Faults {
  private active: ActiveFault[] = [];
  private readonly buckets = new Map<number, Bucket>();
  private nextId = 1;

  constructor(private readonly clock: () => number) {}

  /** Schedules a fault; `expire-tokens` is an action, not a fault, and is the caller's. */
  add(spec: Exclude<FaultSpec, { kind: "expire-tokens" }>): ActiveFault {
    const id = this.nextId++;
    let fault: ActiveFault;
    switch (spec.kind) {
      case "throttle":
        fault = {
          id,
          ...spec,
          service: spec.service ?? "all",
          retryAfterSeconds: spec.retryAfterSeconds ?? 1,
        };
        break;
      case "rate-limit": {
        const burst = spec.burst ?? Math.max(1, Math.ceil(spec.perSecond));
        fault = { id, ...spec, service: spec.service ?? "all", burst };
        this.buckets.set(id, { tokens: burst, at: this.clock() });
        break;
      }
      case "error":
        fault = { id, ...spec, service: spec.service ?? "all", status: spec.status ?? 500 };
        break;
      case "latency":
        fault = { id, ...spec, service: spec.service ?? "all" };
        break;
      case "error-after-accept":
        fault = { id, ...spec, service: spec.service ?? "all", status: spec.status ?? 500 };
        break;
      case "drop":
      case "token-expiry":
      case "order-stuck":
      case "order-cancelled":
      case "payment-refused":
      case "resources-late":
      case "bss-lag":
        fault = { id, ...spec, service: spec.service ?? "all" };
        break;
      case "unsubscribe-legacy":
        fault = { id, ...spec, service: "bss" };
        break;
    }
    this.active.push(fault);
    return structuredClone(fault);
  }

  list(): ActiveFault[] {
    return structuredClone(this.active);
  }

  clear(): void {
    this.active = [];
    this.buckets.clear();
  }

  /** Decides, before a request is handled, whether it is throttled or fails with a 5xx. */
  gate(service: FaultTarget): GateDecision | undefined {
    const throttle = this.take("throttle", service);
    if (throttle) return { kind: "throttle", retryAfterSeconds: throttle.retryAfterSeconds };
    for (const fault of this.active) {
      if (fault.kind !== "rate-limit" || !applies(fault, service)) continue;
      const wait = this.drawFromBucket(fault);
      if (wait !== undefined) {
        return { kind: "throttle", retryAfterSeconds: wait, limitPerSecond: fault.perSecond };
      }
    }
    const error = this.take("error", service);
    return error && { kind: "error", status: error.status };
  }

  /** Milliseconds to wait before answering a request of `service`. */
  latency(service: FaultTarget): number {
    return this.take("latency", service)?.ms ?? 0;
  }

  /** Whether this accepted order is to be dropped instead of answered. */
  drop(service: OrderService): boolean {
    return this.take("drop", service) !== undefined;
  }

  /** The 5xx this accepted order is to be answered with instead of its answer, if any. */
  errorAfterAccept(service: OrderService): ErrorStatus | undefined {
    return this.take("error-after-accept", service)?.status;
  }

  /** Whether the tokens are to lapse before this token-authenticated order is handled. */
  tokenExpiry(service: OrderService): boolean {
    return this.take("token-expiry", service) !== undefined;
  }

  /**
   * The lifecycle faults for a new order of `service`, each used once: which apply is returned
   * (for the request log) with what they decide.
   */
  orderFate(service: OrderService): {
    applied: FaultKind[];
    fate: "complete" | "stuck" | "cancelled";
    resourcesLateMs: number;
    bssLagMs: number;
  } {
    const applied: FaultKind[] = [];
    let fate: "complete" | "stuck" | "cancelled" = "complete";
    if (this.take("order-cancelled", service)) {
      applied.push("order-cancelled");
      fate = "cancelled";
    } else if (this.take("order-stuck", service)) {
      applied.push("order-stuck");
      fate = "stuck";
    }
    const late = this.take("resources-late", service);
    if (late) applied.push("resources-late");
    const lag = this.take("bss-lag", service);
    if (lag) applied.push("bss-lag");
    return { applied, fate, resourcesLateMs: late?.ms ?? 0, bssLagMs: lag?.ms ?? 0 };
  }

  /** Whether this payment (manual or auto-pay) of an order of `service` is refused. */
  paymentRefused(service: OrderService): boolean {
    return this.take("payment-refused", service) !== undefined;
  }

  /** Whether this unsubscribe request is answered the old way (200 with fail_resource_infos). */
  unsubscribeLegacy(): boolean {
    return this.take("unsubscribe-legacy", "bss") !== undefined;
  }

  /** The first matching fault of `kind` with something left, used once. */
  private take<
    K extends
      | "throttle"
      | "error"
      | "latency"
      | "drop"
      | "error-after-accept"
      | "token-expiry"
      | "order-stuck"
      | "order-cancelled"
      | "resources-late"
      | "bss-lag"
      | "payment-refused"
      | "unsubscribe-legacy",
  >(kind: K, service: string): Extract<ActiveFault, { kind: K }> | undefined {
    const index = this.active.findIndex((f) => f.kind === kind && applies(f, service));
    if (index < 0) return undefined;
    const fault = this.active[index] as Extract<ActiveFault, { kind: K }>;
    const counted: { count?: number } = fault;
    if (counted.count !== undefined) {
      counted.count--;
      if (counted.count <= 0) this.active.splice(index, 1);
    }
    return fault;
  }

  /** Takes one token; when the bucket is empty, returns the whole seconds until one is back. */
  private drawFromBucket(fault: Extract<ActiveFault, { kind: "rate-limit" }>): number | undefined {
    const now = this.clock();
    const bucket = this.buckets.get(fault.id) ?? { tokens: fault.burst, at: now };
    bucket.tokens = Math.min(fault.burst, bucket.tokens + ((now - bucket.at) / 1000) * fault.perSecond);
    bucket.at = now;
    this.buckets.set(fault.id, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / fault.perSecond));
  }
}
