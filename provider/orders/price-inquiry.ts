// What BSS's period price inquiry needs to price an order (provider/client/bss-prices.ts), and the
// input that supplies what a resource's own fields cannot say. Each kind maps its order to the
// inquiry's product descriptions (OrderKind.priceProducts); `priceInquiry` overrides any field of
// them, product by product. It is never part of the order: never sent with it, never diffed.
import { z } from "zod";
import type { PeriodProduct } from "../client/bss-prices";

const product = z
  .strictObject({
    cloudServiceType: z
      .string()
      .min(1, "cloudServiceType must not be empty")
      .optional()
      .describe("Cloud service type code, e.g. hws.service.type.dis."),
    resourceType: z
      .string()
      .min(1, "resourceType must not be empty")
      .optional()
      .describe("Resource type code, e.g. hws.resource.type.dis."),
    resourceSpec: z
      .string()
      .min(1, "resourceSpec must not be empty")
      .optional()
      .describe("Resource specification, as BSS's price calculator names it."),
    region: z
      .string()
      .min(1, "region must not be empty")
      .optional()
      .describe("Region code, e.g. cn-north-4. Default: the order's region."),
    availableZone: z
      .string()
      .min(1, "availableZone must not be empty")
      .optional()
      .describe("Availability zone, e.g. cn-north-4a."),
    resourceSize: z
      .number()
      .int("resourceSize must be a whole number")
      .min(1)
      .optional()
      .describe("Linear products only: the size (with sizeMeasureId: 15 Mbit/s, 17 GB, 14 units)."),
    sizeMeasureId: z
      .number()
      .int("sizeMeasureId must be a whole number")
      .optional()
      .describe(
        "Linear products only: the unit of resourceSize, as BSS codes it (15 Mbit/s, 17 GB, 14 units).",
      ),
  })
  .meta({
    id: "PriceInquiryProduct",
    description: "What the price inquiry is told about one product of the order.",
  });

/**
 * The input `priceInquiry`: element i overrides the inquiry's description of the order's product i
 * (a DisPackageOrder buys one product; a MetaStudioSubscription one per cloudServices item).
 */
export const priceInquiryInput = z
  .array(product)
  .max(100, "priceInquiry takes at most 100 products, the inquiry's limit")
  .optional();

export type PriceInquiryInput = z.input<typeof priceInquiryInput>;

/** A product description before its inquiry id is given. */
export type PriceProduct = Omit<PeriodProduct, "id">;

/** What a kind's mapping gives: the products to price, or why the inquiry cannot price this order. */
export type PriceProducts = { products: PriceProduct[] } | { unavailable: string };

/** Applies the overrides, element by element; a product with no override keeps the mapping's values. */
export function withOverrides(
  products: PriceProduct[],
  overrides: z.output<typeof priceInquiryInput>,
): PriceProduct[] {
  return products.map((p, i) => {
    const o = overrides?.[i];
    return o ? { ...p, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } : p;
  });
}
