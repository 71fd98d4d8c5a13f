// Each order kind's resource class, derived from its OrderKind (provider/orders, ORDER_KINDS): the
// arguments from the schema's input type, and an output for each of the schema's fields (the
// effective values, the page's defaults filled in) besides the outputs every order records.
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { ORDER_KINDS, type OrderKind, type OrderKindName } from "../provider/orders";
import { fieldNames } from "../provider/orders/schema-kit";
import {
  OrderResource,
  type OrderResourceArgs,
  type RecordedOutputProperties,
  type ResourceArgs,
} from "./order-resource";

type SchemaOf<Kind> = Kind extends OrderKind<infer S> ? S : never;

/** A kind's arguments: its order fields, each a `pulumi.Input`, and what every order resource takes. */
export type OrderArgsOf<Kind extends OrderKind> = ResourceArgs<z.input<SchemaOf<Kind>>> & OrderResourceArgs;

/** A kind's own outputs: every order field, as the provider recorded it. */
export type OrderOutputsOf<Kind extends OrderKind> = {
  readonly [P in keyof z.output<SchemaOf<Kind>>]-?: pulumi.Output<z.output<SchemaOf<Kind>>[P]>;
};

/** The arguments of the registered kind `K`. */
export type OrderArgs<K extends OrderKindName> = OrderArgsOf<(typeof ORDER_KINDS)[K]>;

export type OrderResourceClass<K extends OrderKindName> = new (
  name: string,
  args: OrderArgs<K>,
  opts?: pulumi.CustomResourceOptions,
) => OrderResource & RecordedOutputProperties & OrderOutputsOf<(typeof ORDER_KINDS)[K]>;

/** The resource class of a registered kind; the sdk exports it under the kind's name. */
export function orderResourceClass<K extends OrderKindName>(kind: K): OrderResourceClass<K> {
  // Pulumi gives a resource an output property only for the keys it is handed: every order field
  // gets one, set by the program or not (an unset one resolves to the default the provider applied).
  const placeholders = Object.fromEntries(fieldNames(ORDER_KINDS[kind].inputs).map((f) => [f, undefined]));
  class OrderKindResource extends OrderResource {
    constructor(name: string, args: OrderArgs<K>, opts?: pulumi.CustomResourceOptions) {
      super(kind, name, { ...placeholders, ...args }, opts);
    }
  }
  return OrderKindResource as unknown as OrderResourceClass<K>;
}
