// The price of every order a preview would place. Check asks BSS's period price inquiry for a
// resource that would place a new order (a create, or the create half of a replacement, which
// the engine checks again with no olds), records the quote in the checked inputs as
// `previewPrice`, and tells the operator: one line per order, then a running total of the
// update. A provider process cannot know when a preview ends (the engine gives no such signal to
// providers), so the running total is the summary: the last "update total" line of a preview is
// the update's total. A price that cannot be had is said, one line per resource, and the preview
// goes on, unless `huaweicloud-orders:requirePreviewPrice` is true: then that resource fails the preview.
import { createHash } from "node:crypto";
import {
  bssPrices,
  HuaweiCloudClient,
  HuaweiCloudError,
  type ClientOptions,
  type ClientSettings,
} from "../client";
import type { OrderKind } from "../orders/order-kind";
import { priceProducts, pricedByServiceType } from "../orders/order-items";
import { priceInquiryInput, withOverrides, type PriceProduct } from "../orders/price-inquiry";
import { checkInputs, containsUnknown } from "../orders/schema-kit";

/** The shape recorded as `previewPrice` (the contract with the policy pack). */
export interface PreviewPrice {
  currency: string;
  /** The official (list) price of the whole order. */
  officialAmount: number;
  /** What the order costs with the best offer, or the official amount when there is none. */
  amount: number;
  /** How much the best offer takes off; absent without an offer. */
  discountAmount?: number;
  /** The best offer's name (or id); absent without an offer. */
  offer?: string;
  /** When BSS quoted it (ISO 8601). */
  quotedAt: string;
}

export type Quote = { price: PreviewPrice } | { unavailable: string };

/** Throttling at preview is waited out for at most this long, whatever maxRetryWaitSeconds says. */
export const PREVIEW_MAX_RETRY_WAIT_MS = 10_000;

export interface PriceSettings {
  /** `huaweicloud-orders:previewPrice`: ask BSS at all (default true). */
  inquire: boolean;
  /** `huaweicloud-orders:requirePreviewPrice`: a missing price fails the preview (default false). */
  require: boolean;
}

/** The `priceInquiry` input's problems, named at preview. */
export function checkPriceInquiry(value: unknown): { property: string; reason: string }[] {
  if (value === undefined) return [];
  const result = checkInputs(priceInquiryInput, value);
  return result.ok
    ? []
    : result.failures.map((f) => ({
        property:
          f.property === "(inputs)"
            ? "priceInquiry"
            : `priceInquiry${f.property.startsWith("[") ? "" : "."}${f.property}`,
        reason: f.reason,
      }));
}

export interface QuoteRequest {
  kind: OrderKind;
  /** The order's inputs as parsed (defaults filled in). */
  order: unknown;
  /** The raw `priceInquiry` input. */
  overrides: unknown;
  /** The resource's settings, or why they cannot be had at preview. */
  settings: () => ClientSettings;
  /** Project ids the order itself names (DIS: tenantId), used when no project id is configured. */
  projectHint?: string | undefined;
  now?: () => Date;
  /** Builds the inquiry's client (the run's: an inquiry waits its turn like every other request). */
  client?: (
    settings: ClientSettings,
    options: Partial<Pick<ClientOptions, "keepRetrying" | "maxRetryWaitMs">>,
  ) => HuaweiCloudClient;
  /** The most time spent waiting out throttling (default, and at most, PREVIEW_MAX_RETRY_WAIT_MS). */
  maxRetryWaitMs?: number;
  /** Asked before each repeated inquiry: false gives up (the update began while this one waited). */
  keepRetrying?: () => boolean;
  /** The answers this process already had (PriceTally.answers): an order asked before is not asked again. */
  answers?: Map<string, PreviewPrice>;
  /**
   * The kind's service type code, looked up with the inquiry's client (RunContext.serviceTypes),
   * for products that name no service type of their own; default the kind's built-in code.
   */
  serviceTypeCode?: (client: HuaweiCloudClient) => Promise<string>;
}

/**
 * Whether check asks BSS the price of a new order now. At preview it always does (when
 * `huaweicloud-orders:previewPrice` allows): that price is what a reviewer approves. In an update whose
 * API throttles, the price is information only (the order is what the program declares, and the
 * policy pack judges prices at preview), while every inquiry takes a turn an order needs: there
 * it is skipped, unless `huaweicloud-orders:requirePreviewPrice` asks that no order go without one.
 */
export function priceAtCheck(s: {
  settings: PriceSettings;
  /** The process serves an update: the engine has asked it to create (never done at preview). */
  servesUpdate: boolean;
  /** The shared limiter is pacing: the API has throttled this process. */
  throttled: boolean;
}): "ask" | "skip-throttled" | "off" {
  if (!s.settings.inquire) return "off";
  if (s.servesUpdate && s.throttled && !s.settings.require) return "skip-throttled";
  return "ask";
}

/** Asks BSS what the order costs; never throws: a price that cannot be had says why. */
export async function quoteOrder(req: QuoteRequest): Promise<Quote> {
  if (containsUnknown(req.order) || containsUnknown(req.overrides)) {
    return { unavailable: "some of its parameters are not known until `pulumi up` computes them" };
  }
  let settings: ClientSettings;
  try {
    settings = req.settings();
  } catch (err) {
    return { unavailable: `no credentials to ask BSS with at preview (${(err as Error).message})` };
  }
  const mapped = priceProducts(req.kind, req.order, settings.region);
  if ("unavailable" in mapped) return mapped;
  const parsedOverrides = priceInquiryInput.safeParse(req.overrides);
  const overrides = parsedOverrides.success ? parsedOverrides.data : undefined;
  const products = withOverrides(mapped.products, overrides);
  const period = products.find((p) => !bssPrices.INQUIRY_PERIOD_TYPES.includes(p.periodType));
  if (period) {
    return { unavailable: `period type ${period.periodType} is not one the period price inquiry prices` };
  }
  // Throttling waited out at preview for a bounded time: a preview must not hang on BSS.
  const makeClient = req.client ?? ((s, options) => new HuaweiCloudClient(s, options));
  const client = makeClient(settings, {
    maxRetryWaitMs: Math.min(req.maxRetryWaitMs ?? PREVIEW_MAX_RETRY_WAIT_MS, PREVIEW_MAX_RETRY_WAIT_MS),
    ...(req.keepRetrying ? { keepRetrying: req.keepRetrying } : {}),
  });
  let projectId: string;
  try {
    projectId = await client.projectId();
  } catch (err) {
    if (!req.projectHint) return { unavailable: describeFailure(err) };
    projectId = req.projectHint;
  }
  const asked = withIds(await underLookedUpCode(req, client, settings.region, products, overrides));
  const key = answerKey(settings, projectId, asked);
  const known = req.answers?.get(key);
  if (known) return { price: known };
  try {
    const quoted = await bssPrices.periodPrice(client, projectId, asked);
    const best = quoted.bestOffer;
    const cheaper = best !== undefined && best.amount < quoted.officialAmount;
    const price: PreviewPrice = {
      currency: quoted.currency,
      officialAmount: quoted.officialAmount,
      amount: cheaper ? best.amount : quoted.officialAmount,
      ...(cheaper
        ? {
            discountAmount: bssPrices.roundCents(quoted.officialAmount - best.amount),
            offer: best.name ?? best.discountId ?? "(unnamed offer)",
          }
        : {}),
      quotedAt: (req.now?.() ?? new Date()).toISOString(),
    };
    req.answers?.set(key, price);
    return { price };
  } catch (err) {
    return { unavailable: describeFailure(err) };
  }
}

/**
 * What an inquiry asked, as a digest: the products, where and by whom (the account's offers are
 * its own). A digest, so that the credentials in it are never held in the clear a second time.
 */
function answerKey(settings: ClientSettings, projectId: string, products: bssPrices.PeriodProduct[]): string {
  return createHash("sha256")
    .update(
      JSON.stringify([settings.endpoints.bss, settings.region, projectId, settings.credentials, products]),
    )
    .digest("hex");
}

/** The products under the kind's looked-up service type code, where they name none of their own. */
async function underLookedUpCode(
  req: QuoteRequest,
  client: HuaweiCloudClient,
  region: string,
  products: PriceProduct[],
  overrides: Parameters<typeof withOverrides>[1],
): Promise<PriceProduct[]> {
  if (!req.serviceTypeCode || !pricedByServiceType(req.kind, req.order)) return products;
  const code = await req.serviceTypeCode(client);
  if (code === req.kind.serviceTypeCode) return products;
  const mapped = priceProducts(req.kind, req.order, region, code);
  return "products" in mapped ? withOverrides(mapped.products, overrides) : products;
}

function withIds(products: PriceProduct[]): bssPrices.PeriodProduct[] {
  return products.map((p, i) => ({ id: String(i + 1), ...p }));
}

/** The client's error text carries the service, operation, status, error code and request id. */
function describeFailure(err: unknown): string {
  if (err instanceof HuaweiCloudError && err.metadata.errorCode === bssPrices.PRODUCT_NOT_FOUND) {
    return (
      `${err.message}: BSS sells no product by these codes in this region; set priceInquiry ` +
      "(cloudServiceType, resourceType, resourceSpec, region) to the names BSS prices it under"
    );
  }
  if (err instanceof HuaweiCloudError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/** "80.00 CNY", or more decimals when BSS quotes them. */
export function formatMoney(amount: number, currency: string): string {
  const text = Number.isInteger(amount * 100) ? amount.toFixed(2) : String(amount);
  return `${text} ${currency}`;
}

/** The one line that shows an order's price. */
export function describePrice(price: PreviewPrice): string {
  const official = formatMoney(price.officialAmount, price.currency);
  if (price.offer === undefined)
    return `price of the new order: ${official} (official price; no offer applies)`;
  return (
    `price of the new order: ${formatMoney(price.amount, price.currency)} with the best offer "${price.offer}" ` +
    `(${formatMoney(price.discountAmount ?? 0, price.currency)} off the official ${official})`
  );
}
