// BSS's period price inquiry (ListRateOnPeriodDetail, POST /v2/bills/ratings/period-resources/
// subscribe-rate): what a yearly/monthly product costs before it is bought. Request and answer
// fields from Huawei's Go SDK v0.1.207 `services/bss/v2/model` (RateOnPeriodReq, PeriodProductInfo,
// ListRateOnPeriodDetailResponse, OfficialWebsiteRatingResult, OptionalDiscountRatingResult), read,
// not copied. Prices come from a small table (the data file's `pricing` section, the admin API or
// the `pricing` option); the table's discounts are the account's optional discounts, one rating
// result each, the largest marked best_offer 1, as the model describes.
import { z } from "zod";

/** A product the table prices, matched on the four fields the inquiry names it by. */
const productSchema = z.strictObject({
  cloudServiceType: z.string().min(1),
  resourceType: z.string().min(1),
  resourceSpec: z.string().min(1),
  /** Regions it is sold in; absent: every region. */
  regions: z.array(z.string().min(1)).optional(),
  /** Price of one unit for one month and for one year. Negative values are allowed on purpose: a client must refuse them. */
  monthly: z.number(),
  yearly: z.number(),
});

const discountSchema = z.strictObject({
  discountId: z.string().min(1),
  discountName: z.string().min(1),
  /** 605 business discount, 606 partner business discount, 607 partner-set discount (the model's list). */
  discountType: z.number().int().default(605),
  /** Percent off the official price, 0-100. */
  percentOff: z.number().min(0).max(100),
});

export const priceTableSchema = z.strictObject({
  /** The answer's currency; the model says an empty one means CNY. */
  currency: z.string().min(1).default("CNY"),
  products: z.array(productSchema),
  discounts: z.array(discountSchema).default([]),
});

export type PriceTable = z.output<typeof priceTableSchema>;
export type PriceTableSpec = z.input<typeof priceTableSchema>;

/**
 * The start-up table: the two products the project's resources buy, at the prices the emulator's
 * billing charges for an order (10.00 per unit and month, 100.00 per year), no discounts.
 */
export function defaultPriceTable(): PriceTable {
  return priceTableSchema.parse({
    products: [
      {
        // The DIS page's example: its package (resource spec) code and the resource type of its example.
        cloudServiceType: "hws.service.type.dis",
        resourceType: "hws.resource.type.dis",
        resourceSpec: "dis.general.partition.duration.pkg",
        monthly: 10,
        yearly: 100,
      },
      {
        // A resource type code of MetaStudio's "Resource Types" page (the live channel), which is
        // also what an order's resource_spec_code carries (Huawei's Terraform example): the
        // billing's line items and resources name the same code as their resource type.
        cloudServiceType: "hws.service.type.metastudio",
        resourceType: "hws.resource.type.metastudio.modeling.avatarlive.channel",
        resourceSpec: "hws.resource.type.metastudio.modeling.avatarlive.channel",
        monthly: 10,
        yearly: 100,
      },
    ],
  });
}

/** PeriodProductInfo, as the handler has checked it. */
export interface PeriodProduct {
  id: string;
  cloud_service_type: string;
  resource_type: string;
  resource_spec: string;
  region: string;
  period_type: number;
  period_num: number;
  subscription_num: number;
}

/** Period types the inquiry takes: 0 day, 2 month, 3 year, 4 hour (the model's list). */
export const INQUIRY_PERIOD_TYPES = [0, 2, 3, 4] as const;

export type Rating =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; reason: "unsupported-service"; product: PeriodProduct }
  | { ok: false; reason: "not-found"; product: PeriodProduct }
  | { ok: false; reason: "period"; product: PeriodProduct };

/** Two decimals, as money is quoted. */
const money = (v: number) => Math.round(v * 100) / 100;

/** Rates every product; the first that cannot be rated fails the whole inquiry, as one request. */
export function rate(table: PriceTable, products: PeriodProduct[]): Rating {
  const priced: { product: PeriodProduct; official: number }[] = [];
  for (const product of products) {
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    if (!table.products.some((p) => same(p.cloudServiceType, product.cloud_service_type))) {
      return { ok: false, reason: "unsupported-service", product };
    }
    const entry = table.products.find(
      (p) =>
        same(p.cloudServiceType, product.cloud_service_type) &&
        same(p.resourceType, product.resource_type) &&
        same(p.resourceSpec, product.resource_spec) &&
        (p.regions === undefined || p.regions.includes(product.region)),
    );
    if (!entry) return { ok: false, reason: "not-found", product };
    // The table sells by the month and by the year only.
    if (product.period_type !== 2 && product.period_type !== 3)
      return { ok: false, reason: "period", product };
    const unit = product.period_type === 3 ? entry.yearly : entry.monthly;
    priced.push({ product, official: money(unit * product.period_num * product.subscription_num) });
  }
  const official = money(priced.reduce((sum, p) => sum + p.official, 0));
  const productId = (p: PeriodProduct) => `emu-${p.resource_spec}-${p.period_type}`;
  const discounts = table.discounts.map((d) => {
    const lines = priced.map((p) => {
      const off = money((p.official * d.percentOff) / 100);
      return {
        id: p.product.id,
        product_id: productId(p.product),
        amount: money(p.official - off),
        official_website_amount: p.official,
        discount_amount: off,
        measure_id: 1,
      };
    });
    const discountAmount = money(lines.reduce((sum, l) => sum + l.discount_amount, 0));
    return {
      discount_id: d.discountId,
      discount_name: d.discountName,
      discount_type: d.discountType,
      amount: money(official - discountAmount),
      official_website_amount: official,
      discount_amount: discountAmount,
      measure_id: 1,
      best_offer: 0,
      product_rating_results: lines,
    };
  });
  // The best offer: the largest discount (the first of equal ones).
  let best: (typeof discounts)[number] | undefined;
  for (const d of discounts) if (!best || d.discount_amount > best.discount_amount) best = d;
  if (best) best.best_offer = 1;
  return {
    ok: true,
    body: {
      currency: table.currency,
      official_website_rating_result: {
        official_website_amount: official,
        measure_id: 1,
        product_rating_results: priced.map((p) => ({
          id: p.product.id,
          product_id: productId(p.product),
          official_website_amount: p.official,
          measure_id: 1,
        })),
      },
      ...(discounts.length > 0 ? { optional_discount_rating_results: discounts } : {}),
    },
  };
}
