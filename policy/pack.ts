// The policy pack `huaweicloud-orders`: loading this module serves it to the engine (the folder
// policy-pack/ loads it; `pulumi preview --policy-pack <that folder>`). Every rule is off until its
// settings are given in the file passed with `--policy-pack-config`; each rule is one policy, so
// each has its own enforcement level (mandatory unless configured otherwise). docs/price-and-policy.md "Policy pack".
import {
  PolicyPack,
  type PolicyConfigSchema,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";
import {
  allowedProducts,
  autoPay,
  autoRenew,
  checkConfigKeys,
  maxNewOrders,
  maxPeriod,
  maxTotalPrice,
  readOrder,
  type OrderView,
  type StackResource,
  type Violation,
} from "./rules";

const stringList = { type: "array", items: { type: "string", minLength: 1 } } as const;

function resourcePolicy<C extends object>(
  name: string,
  description: string,
  configSchema: PolicyConfigSchema,
  rule: (order: OrderView, config: C) => Violation[],
): ResourceValidationPolicy {
  return {
    name,
    description,
    configSchema,
    validateResource: (args, reportViolation) => {
      const config = args.getConfig<C>();
      checkConfigKeys(name, Object.keys(configSchema.properties), config);
      const order = readOrder(args);
      if (order === undefined) return;
      for (const v of rule(order, config)) reportViolation(v.message);
    },
  };
}

function stackPolicy<C extends object>(
  name: string,
  description: string,
  configSchema: PolicyConfigSchema,
  rule: (resources: StackResource[], config: C) => Violation[],
): StackValidationPolicy {
  return {
    name,
    description,
    configSchema,
    validateStack: (args, reportViolation) => {
      const config = args.getConfig<C>();
      checkConfigKeys(name, Object.keys(configSchema.properties), config);
      for (const v of rule(args.resources, config)) reportViolation(v.message, v.urn);
    },
  };
}

new PolicyPack("huaweicloud-orders", {
  description: "Gates the Huawei Cloud orders of pulumi-huaweicloud-orders before they are bought.",
  enforcementLevel: "mandatory",
  policies: [
    resourcePolicy(
      "allowed-products",
      "Orders buy only the allowed resource spec codes and DIS products.",
      {
        properties: {
          resourceSpecCodes: {
            ...stringList,
            description:
              "Resource spec codes that may be bought (MetaStudio cloudServices[].resourceSpecCode, DIS productInfos.resourceSpecCode). Unset: any.",
          },
          disProductIds: {
            ...stringList,
            description: "DIS product ids that may be bought (productInfos.productId). Unset: any.",
          },
        },
      },
      allowedProducts,
    ),
    resourcePolicy(
      "max-period",
      "Subscriptions are no longer than the longest period allowed.",
      {
        properties: {
          maxMonths: {
            type: "integer",
            minimum: 1,
            description: "The longest subscription in months (a year is 12). Unset: any.",
          },
        },
      },
      maxPeriod,
    ),
    resourcePolicy(
      "auto-renew",
      "Subscriptions renew automatically only where allowed.",
      {
        properties: {
          allowed: { type: "boolean", description: "Whether isAutoRenew may be true. Default: true." },
        },
      },
      autoRenew,
    ),
    resourcePolicy(
      "auto-pay",
      "Orders are paid automatically only where allowed.",
      {
        properties: {
          allowed: {
            type: "boolean",
            description:
              "Whether DisPackageOrder autoPay or MetaStudio isAutoPay may be true. Default: true.",
          },
        },
      },
      autoPay,
    ),
    stackPolicy(
      "max-new-orders",
      "An update places no more new paid orders than allowed.",
      {
        properties: {
          max: {
            type: "integer",
            minimum: 0,
            description: "The most new orders one update may place (creates and replacements). Unset: any.",
          },
        },
      },
      maxNewOrders,
    ),
    stackPolicy(
      "max-total-price",
      "The new orders of an update cost no more than allowed, by the price the preview obtained.",
      {
        properties: {
          max: {
            type: "number",
            minimum: 0,
            description: "The most the update's new orders may cost. Unset: any.",
          },
          currency: { type: "string", minLength: 1, description: "The currency of max, e.g. CNY." },
          amount: {
            type: "string",
            enum: ["official", "afterOffer"],
            description:
              "Which price is added up: official (list price, the default) or afterOffer (the best offer).",
          },
        },
      },
      maxTotalPrice,
    ),
  ],
});
