// The price at preview: check asks BSS's period price inquiry what a new order costs (a create, or
// the create half of a replacement, which the engine checks again with no olds), records it in the
// checked inputs as `previewPrice`, and tells the operator with the run's running total. A price
// that cannot be had is said and the preview goes on, unless `requirePreviewPrice` fails it.
import type * as pulumi from "@pulumi/pulumi";
import { runSettingKey } from "../contract/run-settings";
import {
  CONNECTION_KEY,
  PREVIEW_PRICE_KEY,
  PRICE_INQUIRY_KEY,
  RESOURCE_NAME_KEY,
} from "../contract/resource-keys";
import { containsUnknown } from "../orders/schema-kit";
import { describePrice, priceAtCheck, quoteOrder, type PriceSettings } from "../billing/price-quote";
import { checkResourceInputs } from "./inputs";
import { inputsOf } from "../contract/resource-inputs";
import { named } from "../lifecycle/step";
import type { CheckJob } from "../lifecycle/jobs";

type CheckResult = pulumi.dynamic.CheckResult;

const PRICE_INPUTS = inputsOf(PRICE_INQUIRY_KEY);

export const previewPrice = {
  check: named<CheckJob, CheckResult>("priceInquiry", (job) => {
    checkResourceInputs(job, PRICE_INPUTS);
    return undefined;
  }),

  /** Goes out together with the announcement and the duplicate look. */
  quote: named<CheckJob, CheckResult>("quote the new order", (job) => {
    job.together.push(quote(job));
    return undefined;
  }),
};

function priceSettings(job: CheckJob): PriceSettings {
  const s = job.run.settings;
  return { inquire: s.previewPrice, require: s.requirePreviewPrice };
}

async function quote(job: CheckJob): Promise<void> {
  const prices = job.run.prices;
  if (!prices) return; // a provider outside the engine's process asks no price
  const settings = priceSettings(job);
  const decide = () =>
    priceAtCheck({
      settings,
      servesUpdate: job.run.servesUpdate,
      throttled: job.run.limiter.state().enabled,
    });
  const now = decide();
  if (now === "off") return;
  if (now === "skip-throttled") return skipped(job);
  const label = `${job.kind.name} '${String(job.extra[RESOURCE_NAME_KEY] ?? "?")}'`;
  const parsedOrder = job.parsed ?? job.order;
  const quoted = await quoteOrder({
    kind: job.kind,
    order: parsedOrder,
    overrides: job.extra[PRICE_INQUIRY_KEY],
    settings: () => {
      if (containsUnknown(job.extra[CONNECTION_KEY]))
        throw new Error("its connection settings are not known until `pulumi up`");
      return job.clientSettings();
    },
    projectHint: typeof parsedOrder["tenantId"] === "string" ? parsedOrder["tenantId"] : undefined,
    client: (settings, options) => job.run.client(settings, options),
    // In an update the price is information only and check holds up the engine's next resource:
    // a refused inquiry is not retried (a 429 then turns the update's pricing off, below). A
    // program that does not say whether it previews (steps/inputs.ts, phase) leaves the update
    // unknown until the first create: an inquiry that began as if at preview stops retrying then.
    ...(job.run.servesUpdate && !settings.require ? { maxRetryWaitMs: 0 } : {}),
    keepRetrying: () => !job.run.servesUpdate || settings.require,
    answers: prices.answers,
    serviceTypeCode: async (client) =>
      (await job.run.serviceTypes.codeOf(job.kind, client, client.settings.endpoints.bss)).code,
  });
  if ("price" in quoted) {
    // One message, one round trip to the engine: the order's price, then the running total.
    await job.line(
      job.run.log.tell(`${job.describe(describePrice(quoted.price))}\n${prices.record(label, quoted.price)}`),
    );
    job.inputs = { ...job.inputs, [PREVIEW_PRICE_KEY]: quoted.price };
    return;
  }
  // Refused for the rate just now: the same as being throttled before asking.
  if (decide() === "skip-throttled") return skipped(job);
  const summary = prices.record(label, undefined);
  if (settings.require) {
    job.failures.push({
      property: "",
      reason: job.describe(
        `no price for the new order: ${quoted.unavailable}. ${runSettingKey("requirePreviewPrice")} is true, so the ` +
          "preview fails rather than approve an order without its price. Nothing was ordered",
      ),
    });
    return;
  }
  await Promise.all([
    job.line(
      job.run.log.warn(
        job.describe(
          `no price for the new order: ${quoted.unavailable}. The preview goes on without it ` +
            `(set ${runSettingKey("requirePreviewPrice")} to true to fail instead)`,
        ),
      ),
    ),
    job.line(job.run.log.tell(summary)),
  ]);
}

async function skipped(job: CheckJob): Promise<void> {
  const notice = job.run.prices?.skipNotice();
  if (notice !== undefined) await job.line(job.run.log.tell(notice));
}
