// A scripted BSS for the billing unit tests (no emulator, no engine): order details, the order
// list, the resources query and the unsubscription, as a Script says, every call recorded; and an
// UnsubscribeRequest on a fake clock that collects the progress lines.
import {
  HuaweiCloudError,
  OutcomeUnknownError,
  Redactor,
  type CallRequest,
  type CallResult,
} from "../../provider/client";
import type { UnsubscribeRequest } from "../../provider/billing/unsubscribe-order";

export interface Script {
  orderStatus: number;
  /** Listed resources (main, in use unless said). */
  resources: { id: string; status?: number }[];
  /** Unsubscription orders BSS lists as processing. */
  inProgress?: string[];
  /**
   * How each unsubscribe request ends: "accept" (gone after one more read), "unknown", a 400 for
   * the whole request (as the current page answers; `then` changes what BSS lists), or (older
   * tables) a 200 with failures by id.
   */
  unsubscribe?: (
    | "accept"
    | "unknown"
    | { status400: string; then?: () => void }
    | { legacy: Record<string, string> }
  )[];
  /** A request naming one of these ids is refused as a whole with its code (after the list above). */
  refuse?: Record<string, string>;
}
export function scriptedBss(script: Script) {
  const calls: CallRequest[] = [];
  const leaving = new Set<string>();
  let unsubscribes = 0;
  const answer = (body: unknown): CallResult => ({
    status: 200,
    body,
    headers: {},
    requestId: `req${calls.length}`,
    attempts: 1,
    sentAt: new Date(0),
  });
  const meta = (operation: string) => ({ service: "bss", operation, attempts: 1 }) as const;
  const client = {
    redactor: new Redactor(),
    async call(req: CallRequest): Promise<CallResult> {
      calls.push(req);
      const path = req.path.join("/");
      if (path.startsWith("v2/orders/customer-orders/details/")) {
        return answer({ order_info: { order_id: "CS1", status: script.orderStatus }, total_count: 0 });
      }
      if (path === "v2/orders/customer-orders") {
        const ids = script.inProgress ?? [];
        return answer({
          total_count: ids.length,
          order_infos: ids.map((id) => ({ order_id: id, status: 3 })),
        });
      }
      if (path === "v2/orders/suscriptions/resources/query") {
        // A resource whose unsubscription was accepted is listed once more, then gone.
        for (const id of leaving) {
          script.resources = script.resources.filter((r) => r.id !== id || !leaving.has(id));
        }
        const data = script.resources.map((r) => ({
          resource_id: r.id,
          status: r.status ?? 2,
          service_type_code: "hws.service.type.metastudio",
        }));
        return answer({ data, total_count: data.length });
      }
      if (path === "v2/orders/subscriptions/resources/unsubscribe") {
        const ids = (req.body as { resource_ids: string[] }).resource_ids;
        unsubscribes += 1;
        const refused = ids.find((id) => script.refuse?.[id] !== undefined);
        const how =
          script.unsubscribe?.[unsubscribes - 1] ??
          (refused === undefined ? "accept" : { status400: script.refuse?.[refused] ?? "" });
        if (typeof how === "object" && "status400" in how) {
          how.then?.();
          throw new HuaweiCloudError(
            {
              ...meta(req.operation),
              httpStatus: 400,
              errorCode: how.status400,
              errorMsg: "Refused.",
              requestId: `req${calls.length}`,
            },
            "refused",
            new Redactor(),
          );
        }
        if (how === "unknown") {
          ids.forEach((id) => leaving.add(id));
          throw new OutcomeUnknownError(
            meta(req.operation),
            new Date(0),
            "the connection was reset",
            { subject: "the unsubscription", advice: "Query first." },
            new Redactor(),
          );
        }
        const failures: Record<string, string> = how === "accept" ? {} : how.legacy;
        // Accepted, or (CBC.3124) already being unsubscribed: gone after one more read.
        ids
          .filter((id) => failures[id] === undefined || failures[id] === "CBC.3124")
          .forEach((id) => leaving.add(id));
        return answer({
          order_ids: [`UN${unsubscribes}`],
          ...(Object.keys(failures).length > 0
            ? {
                fail_resource_infos: Object.entries(failures).map(([id, code]) => ({
                  resource_id: id,
                  error_code: code,
                  error_msg: "Refused the old way.",
                })),
              }
            : {}),
        });
      }
      throw new HuaweiCloudError(meta(req.operation), `unexpected ${path}`, new Redactor());
    },
  };
  const sent = () =>
    calls
      .filter((c) => c.operation === "CancelResourcesSubscription")
      .map((c) => (c.body as { resource_ids: string[] }).resource_ids);
  return { client, calls, sent };
}

export function request(
  client: UnsubscribeRequest["client"],
  timeoutMs = 1000,
  sentByThisRun = new Set<string>(),
) {
  let clock = 0;
  const lines: string[] = [];
  const req: UnsubscribeRequest = {
    client,
    orderId: "CS1",
    label: "MetaStudioSubscription 'a'",
    timeoutMs,
    pollMs: 100,
    progress: async (line) => void lines.push(line),
    sentByThisRun,
    now: () => clock,
    sleep: async (ms) => void (clock += ms),
  };
  return { req, lines };
}
export const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i + 1}` }));
