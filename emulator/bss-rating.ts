// BSS's period price inquiry handler (emulator/bss.ts lists every BSS API): the request is checked
// here, the price comes from emulator/pricing.ts's table.
import { z } from "zod";
import { authenticated, type BssContext, invalid, jsonBody } from "./bss";
import {
  BSS_PERIOD_NOT_OFFERED,
  BSS_PRODUCT_NOT_FOUND,
  BSS_UNSUPPORTED_SERVICE,
  serviceError,
} from "./errors";
import { INQUIRY_PERIOD_TYPES, rate } from "./pricing";
import type { Call, Handled } from "./types";
import { integer, object, oneOf, text, describeViolations, violationsOf } from "./validation";

const productInfo = object({
  id: text({ nonEmpty: true }).max(64, { error: "must be at most 64 characters" }),
  cloud_service_type: text({ nonEmpty: true }),
  resource_type: text({ nonEmpty: true }),
  resource_spec: text({ nonEmpty: true }),
  region: text({ nonEmpty: true }),
  available_zone: text().nullish(),
  resource_size: integer(1).nullish(),
  size_measure_id: integer().nullish(),
  period_type: oneOf(INQUIRY_PERIOD_TYPES, "0 (day), 2 (month), 3 (year) or 4 (hour)"),
  period_num: integer(1),
  subscription_num: integer(1),
  fee_installment_mode: text().nullish(),
});

const rateBody = object({
  project_id: text({ nonEmpty: true }).max(64, { error: "must be at most 64 characters" }),
  product_infos: z
    .array(productInfo, { error: (i) => (i.input === undefined ? "is required" : "must be an array") })
    .min(1, { error: "must list at least one product" })
    .max(100, { error: "must list at most 100 products" }),
});

/**
 * POST /v2/bills/ratings/period-resources/subscribe-rate: 200 {currency,
 * official_website_rating_result, optional_discount_rating_results?}. The project must be one of
 * the caller's account; ids must be unique within the inquiry.
 */
export function ratePeriodProducts(call: Call, ctx: BssContext): Handled {
  return authenticated(call, ctx, (principal) => {
    const body = jsonBody(call);
    if (!body.ok) return { reply: body.reply };
    const parsed = rateBody.safeParse(body.value);
    if (!parsed.success) return { reply: invalid(describeViolations(violationsOf(parsed.error))) };
    const q = parsed.data;
    if (!principal.account.projects.some((p) => p.id === q.project_id)) {
      return { reply: invalid(`project_id: ${q.project_id} is not a project of this account`) };
    }
    const ids = q.product_infos.map((p) => p.id);
    const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
    if (repeated !== undefined) return { reply: invalid(`product_infos.id: ${repeated} is given twice`) };
    const rating = rate(ctx.pricing, q.product_infos);
    if (rating.ok) return { reply: { status: 200, body: rating.body } };
    const p = rating.product;
    switch (rating.reason) {
      case "unsupported-service":
        return { reply: serviceError(400, BSS_UNSUPPORTED_SERVICE, "Unsupported cloud service type.") };
      case "period":
        return {
          reply: serviceError(
            400,
            BSS_PERIOD_NOT_OFFERED,
            "The period type or number of periods for the resource does not exist.",
          ),
        };
      case "not-found":
        return {
          reply: serviceError(
            400,
            BSS_PRODUCT_NOT_FOUND,
            `The product cannot be found: no product of ${p.cloud_service_type} with resource type ` +
              `${p.resource_type} and spec ${p.resource_spec} is sold in ${p.region}.`,
          ),
        };
    }
  });
}
