// The few lines that differ between order resources; everything else (check, diff, create,
// read, delete) is derived by provider/dynamic/order-provider.ts. A third order endpoint is one
// more file like dis-package-order.ts and one line in index.ts.
import type { z } from "zod";
import type { ServiceName } from "../client";

export interface OrderKind<S extends z.ZodType = z.ZodType> {
  /** The resource type name, as programs and previews show it. */
  name: string;
  service: Exclude<ServiceName, "iam">;
  /** The API operation, named as the page names it. */
  operation: string;
  /** The one source of the inputs' types, validation, defaults and wire names. */
  inputs: S;
  /** The request path carries the project id, so one must be known before the order is sent. */
  projectInPath: boolean;
  /** The request path's segments, unencoded; `projectId` is "" unless projectInPath is true. */
  path: (inputs: z.output<S>, projectId: string) => string[];
  /** The placed order's id, from the inputs or the answer; undefined if the answer lacks it. */
  orderId: (inputs: z.output<S>, responseBody: unknown) => string | undefined;
  /** How the operator stops paying for an order that destroy only forgets. */
  unsubscribeHint: string;
}
