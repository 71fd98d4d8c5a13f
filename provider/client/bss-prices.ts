// BSS's period price inquiry: what a yearly/monthly product costs before it is bought
// (ListRateOnPeriodDetail, POST /v2/bills/ratings/period-resources/subscribe-rate). Fields from
// Huawei's Go SDK v0.1.207 `services/bss/v2/model` (RateOnPeriodReq, PeriodProductInfo,
// ListRateOnPeriodDetailResponse), read, not copied. It changes nothing, so it is retried like a
// read. An answer without the official amount, or with a negative amount anywhere, is an
// UnexpectedAnswerError: such an answer is never shown as a price.
import { z } from "zod";
import { defined, optionalField, parseAnswer, type AnswerContext } from "./answers";
import type { CallRequest, CallResult } from "./call-request";

export interface PriceClient extends AnswerContext {
  call(request: CallRequest): Promise<CallResult>;
}

/** The inquiry's page, status codes: 400, no product matches one asked for (type, spec, region). */
export const PRODUCT_NOT_FOUND = "CBC.99006006";

/** Period types the inquiry takes (PeriodProductInfo.period_type): 0 day, 2 month, 3 year, 4 hour. */
export const INQUIRY_PERIOD_TYPES: readonly number[] = [0, 2, 3, 4];

/** One product to price (PeriodProductInfo), in the inquiry's own terms. */
export interface PeriodProduct {
  /** Unique within one inquiry; ties each result to its product. */
  id: string;
  /** e.g. hws.service.type.dis */
  cloudServiceType: string;
  /** e.g. hws.resource.type.dis */
  resourceType: string;
  resourceSpec: string;
  region: string;
  availableZone?: string;
  /** Linear products only (a disk's GB, a bandwidth's Mbit/s), with sizeMeasureId. */
  resourceSize?: number;
  sizeMeasureId?: number;
  periodType: number;
  periodNum: number;
  subscriptionNum: number;
}

/** One optional discount's rating, as BSS offers it. */
export interface PriceOffer {
  discountId: string | undefined;
  name: string | undefined;
  /** The price with this discount. */
  amount: number;
  discountAmount: number;
  best: boolean;
}

export interface PeriodPrice {
  /** The model: an empty currency means CNY. */
  currency: string;
  officialAmount: number;
  offers: PriceOffer[];
  /** The offer BSS marks best_offer 1, else the cheapest; undefined without offers. */
  bestOffer: PriceOffer | undefined;
  requestId: string | undefined;
}

const amount = z.number().min(0, "must not be negative");
/** measure_id 1 is yuan (the unit the amounts are in); any other unit would misstate the price. */
const yuan = optionalField(z.literal(1, "must be 1 (amounts in the currency's main unit)"));

// Optional fields may be null (answers.ts); unknown ones are dropped.
const rateAnswer = z.object({
  currency: optionalField(z.string()),
  official_website_rating_result: z.object({
    official_website_amount: amount,
    measure_id: yuan,
    product_rating_results: optionalField(
      z.array(z.object({ id: optionalField(z.string()), official_website_amount: optionalField(amount) })),
    ),
  }),
  optional_discount_rating_results: optionalField(
    z.array(
      z.object({
        discount_id: optionalField(z.string()),
        discount_name: optionalField(z.string()),
        amount,
        discount_amount: optionalField(amount),
        official_website_amount: optionalField(amount),
        measure_id: yuan,
        best_offer: optionalField(z.union([z.literal(0), z.literal(1)])),
      }),
    ),
  ),
});

/** ListRateOnPeriodDetail: the price of `products`, bought together, in `projectId`. */
export async function periodPrice(
  client: PriceClient,
  projectId: string,
  products: readonly PeriodProduct[],
): Promise<PeriodPrice> {
  const operation = "ListRateOnPeriodDetail";
  const result = await client.call({
    service: "bss",
    operation,
    // An inquiry changes nothing: retried like a read.
    method: "POST",
    path: ["v2", "bills", "ratings", "period-resources", "subscribe-rate"],
    body: { project_id: projectId, product_infos: products.map(toWire) },
    creates: false,
    notDone: "Nothing was ordered",
  });
  const answer = parseAnswer(client, result, "bss", operation, rateAnswer);
  const official = answer.official_website_rating_result.official_website_amount;
  const offers: PriceOffer[] = (answer.optional_discount_rating_results ?? []).map((d) => ({
    discountId: d.discount_id,
    name: d.discount_name,
    amount: d.amount,
    discountAmount: d.discount_amount ?? roundCents(official - d.amount),
    best: d.best_offer === 1,
  }));
  const cheapest = [...offers].sort((a, b) => a.amount - b.amount)[0];
  return {
    currency: answer.currency || "CNY",
    officialAmount: official,
    offers,
    bestOffer: offers.find((o) => o.best) ?? cheapest,
    requestId: result.requestId,
  };
}

function toWire(p: PeriodProduct): Record<string, unknown> {
  return defined({
    id: p.id,
    cloud_service_type: p.cloudServiceType,
    resource_type: p.resourceType,
    resource_spec: p.resourceSpec,
    region: p.region,
    available_zone: p.availableZone,
    resource_size: p.resourceSize,
    size_measure_id: p.sizeMeasureId,
    period_type: p.periodType,
    period_num: p.periodNum,
    subscription_num: p.subscriptionNum,
  });
}

/** Money to the cent, as BSS quotes it. */
export function roundCents(v: number): number {
  return Math.round(v * 100) / 100;
}
