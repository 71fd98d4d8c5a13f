// The emulator's model and the operations on it that the admin API and the object startEmulator
// returns share: accounts, recorded state, faults, the clock.
import { Accounts, type AccountSpec, demoAccountSpec, DEMO_ACCOUNT } from "./accounts";
import type { AuthContext } from "./auth";
import { Billing } from "./billing";
import {
  DEFAULT_PROCESSING_DELAY_MS,
  defaultResourceType,
  LINE_PERIOD,
  type PlacedOrder,
  RESOURCE_STATUS,
  SERVICE_TYPE_CODES,
} from "./billing-records";
import type { BssContext } from "./bss";
import { type PriceTable, type PriceTableSpec, priceTableSchema } from "./pricing";
import { type ActiveFault, Faults, type FaultSpec, faultSpecSchema } from "./faults";
import { DEFAULT_TOKEN_TTL_SECONDS, type IamContext, issueToken } from "./iam";
import type { AgreementContext } from "./metastudio";
import { State } from "./state";
import type { FaultKind, OrderRecord, OrderService } from "./types";
import { isPlainObject } from "./validation";

export interface CoreOptions {
  dataFile?: string;
  tokenTtlSeconds?: number;
  seedDemoAccount?: boolean;
  accounts?: AccountSpec[];
  faults?: FaultSpec[];
  clock?: () => number;
  /** How long a paid order stays in processing (and an unsubscription too); default 1000 ms. */
  billingDelayMs?: number;
  /** The price inquiry's table; default: the data file's, else the default table (emulator/pricing.ts). */
  pricing?: PriceTableSpec;
  /** The service type code of each service's orders (and BSS's catalogue); default emulator/billing-records.ts's. */
  serviceTypeCodes?: Partial<Record<OrderService, string>>;
}

export class Core {
  readonly accounts = new Accounts();
  readonly state: State;
  readonly faults: Faults;
  readonly now: () => number;
  readonly tokenTtlSeconds: number;
  readonly billing: Billing;
  private readonly startupFaults: FaultSpec[];
  private readonly startupBillingDelayMs: number;
  private readonly startupServiceTypeCodes: Record<OrderService, string>;

  constructor(options: CoreOptions) {
    this.now = options.clock ?? Date.now;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    if (!(this.tokenTtlSeconds > 0)) throw new Error("tokenTtlSeconds must be positive");
    this.state = new State(options.dataFile);
    this.faults = new Faults(this.now);
    this.startupBillingDelayMs = options.billingDelayMs ?? DEFAULT_PROCESSING_DELAY_MS;
    if (!(this.startupBillingDelayMs >= 0)) throw new Error("billingDelayMs must be 0 or more");
    this.billing = new Billing(
      () => this.state.billing,
      () => this.state.save(),
      this.now,
      this.startupBillingDelayMs,
    );
    this.startupServiceTypeCodes = { ...SERVICE_TYPE_CODES, ...options.serviceTypeCodes };
    this.billing.serviceTypeCodes = { ...this.startupServiceTypeCodes };
    if (options.pricing !== undefined) this.setPricing(options.pricing);
    if (options.seedDemoAccount ?? true) this.accounts.add(demoAccountSpec(), this.now());
    for (const spec of options.accounts ?? []) this.accounts.add(spec, this.now());
    this.startupFaults = structuredClone(options.faults ?? []);
    this.injectFaults(this.startupFaults);
  }

  authContext(): AuthContext {
    return { accounts: this.accounts, state: this.state, now: this.now() };
  }

  iamContext(): IamContext {
    return { ...this.authContext(), tokenTtlSeconds: this.tokenTtlSeconds };
  }

  bssContext(): BssContext {
    return {
      ...this.authContext(),
      billing: this.billing,
      pricing: this.state.pricing,
      serviceTypeCodes: this.billing.serviceTypeCodes,
      paymentRefused: (order) => this.faults.paymentRefused(order.service),
      unsubscribeLegacy: () => this.faults.unsubscribeLegacy(),
    };
  }

  /** MetaStudio's AUTO_PAY agreement of each account, for the sign route. */
  agreementContext(): AgreementContext {
    return {
      signed: (domainId) => this.accounts.autoPaySigned(domainId),
      sign: (domainId, toSign) => this.accounts.signAutoPay(domainId, toSign, this.now()),
    };
  }

  /** The admin API's view and change of an account's AUTO_PAY agreement; false: no such account. */
  setAutoPayAgreement(domainName: string, signed: boolean): boolean {
    const account = this.accounts.byDomainName(domainName);
    if (!account) return false;
    this.accounts.signAutoPay(account.domainId, signed, this.now());
    return true;
  }

  /**
   * Makes an accepted DIS or MetaStudio order a BSS customer order, applying the lifecycle faults
   * scheduled for it; returns the faults applied, for the request log.
   */
  placeBillingOrder(order: OrderRecord): FaultKind[] {
    const account = this.accounts.byProjectId(order.projectId);
    if (!account) return [];
    const placed = placedOrder(
      order,
      account.domainId,
      account.projects.find((p) => p.id === order.projectId)?.name,
    );
    const { applied, fate, resourcesLateMs, bssLagMs } = this.faults.orderFate(order.service);
    // MetaStudio pays an auto-pay order only under the account's AUTO_PAY agreement; without it the
    // auto-payment fails and the order waits for payment by hand (Go SDK is_auto_pay).
    const unsigned =
      placed.autoPay &&
      order.service === "metastudio" &&
      this.accounts.autoPaySigned(account.domainId) === undefined;
    const paymentRefused = placed.autoPay && !unsigned && this.faults.paymentRefused(order.service);
    if (paymentRefused) applied.push("payment-refused");
    this.billing.place(placed, {
      fate,
      resourcesLateMs,
      paymentRefused: paymentRefused || unsigned,
      bssLagMs,
    });
    return applied;
  }

  /** Replaces the price inquiry's table (kept in the data file, and across reset). */
  setPricing(spec: PriceTableSpec): PriceTable {
    this.state.pricing = priceTableSchema.parse(spec);
    this.state.save();
    return structuredClone(this.state.pricing);
  }

  /** Sets the service type code of the service's new orders and of its catalogue entry (`reset()` restores it). */
  setServiceTypeCode(service: OrderService, code: string): void {
    if (!/^\S{1,64}$/.test(code)) throw new Error("a service type code is 1 to 64 characters without spaces");
    this.billing.serviceTypeCodes[service] = code;
  }

  setBillingDelay(ms: number): void {
    if (!(Number.isInteger(ms) && ms >= 0))
      throw new Error("the billing delay must be a whole number of ms, 0 or more");
    this.billing.processingDelayMs = ms;
  }

  /** The admin API's changes "outside Pulumi"; false when no such live resource exists. */
  changeResource(resourceId: string, change: "expire" | "freeze" | "unsubscribe"): boolean {
    if (change === "unsubscribe") {
      const resource = this.billing.resources().find((r) => r.resourceId === resourceId);
      if (!resource) return false;
      return (
        this.billing.unsubscribe(resource.domainId, [resourceId], { immediately: true }).orderId !== undefined
      );
    }
    return this.billing.setResourceStatus(
      resourceId,
      change === "expire" ? RESOURCE_STATUS.expired : RESOURCE_STATUS.frozen,
    );
  }

  /**
   * Back to how the emulator started: no orders, requests or tokens; the start-up faults only;
   * every account's AUTO_PAY agreement as the account was added.
   */
  reset(): void {
    this.state.reset();
    this.accounts.resetAgreements(this.now());
    this.faults.clear();
    this.billing.processingDelayMs = this.startupBillingDelayMs;
    this.billing.serviceTypeCodes = { ...this.startupServiceTypeCodes };
    this.injectFaults(this.startupFaults);
  }

  injectFaults(specs: FaultSpec[]): ActiveFault[] {
    const added: ActiveFault[] = [];
    for (const spec of specs.map((s) => faultSpecSchema.parse(s))) {
      if (spec.kind === "expire-tokens") this.expireTokens();
      else added.push(this.faults.add(spec));
    }
    return added;
  }

  expireTokens(): number {
    return this.state.expireTokens(this.now());
  }

  /**
   * A token as IAM would issue it, without the HTTP round trip. Default: the demo account's
   * project; `scope: "domain"` gives a domain-scoped (global) token, as BSS needs.
   */
  issueToken(
    options: { domainName?: string; projectId?: string; scope?: "project" | "domain" } = {},
  ): string {
    const domainName = options.domainName ?? DEMO_ACCOUNT.domainName;
    const account = this.accounts.byDomainName(domainName);
    if (options.scope === "domain") {
      if (!account) throw new Error(`no account ${domainName}`);
      return issueToken(account, undefined, this.iamContext()).token;
    }
    const projectId =
      options.projectId ?? (domainName === DEMO_ACCOUNT.domainName ? DEMO_ACCOUNT.projectId : undefined);
    const project = account?.projects.find((p) => projectId === undefined || p.id === projectId);
    if (!account || !project)
      throw new Error(`no account ${domainName} with project ${projectId ?? "(any)"}`);
    return issueToken(account, project, this.iamContext()).token;
  }
}

const record = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});
const int = (v: unknown, fallback: number): number =>
  typeof v === "number" && Number.isInteger(v) ? v : fallback;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * What BSS bills for an accepted order, read from the request as recorded (already validated).
 * DIS: one line from cloudServices (periodType 2 month / 3 year, default 2; periodNum and
 * subscriptionNum default 1); the DIS page has no auto-pay field, so a DIS package order always
 * waits for payment. MetaStudio: one line per cloud_services element (period_type 2, 3, or 6
 * one-off); the order is paid at once only when every element asks for is_auto_pay 1.
 */
function placedOrder(order: OrderRecord, domainId: string, region: string | undefined): PlacedOrder {
  const body = record(order.request.body);
  const base = { service: order.service, orderId: order.orderId, domainId, projectId: order.projectId };
  if (order.service === "dis") {
    const cs = record(body["cloudServices"]);
    const product = record(cs["productInfos"]);
    const productId = str(product["productId"]);
    return {
      ...base,
      regionCode: str(cs["regionId"]) ?? region ?? "",
      autoPay: false,
      lines: [
        {
          periodType: int(cs["periodType"], 2) === 3 ? LINE_PERIOD.year : LINE_PERIOD.month,
          periodNum: int(cs["periodNum"], 1),
          subscriptionNum: int(cs["subscriptionNum"], 1),
          resourceTypeCode: str(product["resourceType"]) ?? defaultResourceType("dis"),
          resourceSpecCode: str(product["resourceSpecCode"]) ?? "dis.general.partition.duration.pkg",
          ...(productId ? { productId } : {}),
        },
      ],
    };
  }
  const services = Array.isArray(body["cloud_services"]) ? body["cloud_services"].map(record) : [];
  return {
    ...base,
    regionCode: region ?? "",
    autoPay: services.length > 0 && services.every((cs) => cs["is_auto_pay"] === 1),
    lines: services.map((cs) => {
      const periodType = int(cs["period_type"], 2);
      return {
        periodType:
          periodType === 3 ? LINE_PERIOD.year : periodType === 6 ? LINE_PERIOD.oneOff : LINE_PERIOD.month,
        periodNum: int(cs["period_num"], 1),
        subscriptionNum: int(cs["subscription_num"], 1),
        // MetaStudio's "Resource Types" page: the spec code is the resource type code.
        resourceTypeCode: str(cs["resource_spec_code"]) ?? defaultResourceType("metastudio"),
        resourceSpecCode: str(cs["resource_spec_code"]) ?? "",
      };
    }),
  };
}
