// What the emulator received, as tests count it: the request log (one entry and one log line per
// IAM, DIS, MetaStudio, BSS or unknown-path request, answered or dropped; never the admin API),
// and the feed of accepted orders that `RunningEmulator.nextOrder` waits on. Entries are kept by
// emulator/state.ts (the newest 5,000, in the data file if there is one), already redacted.
import { EventEmitter } from "node:events";
import type { Logger } from "./log";
import type { State } from "./state";
import type {
  Call,
  FaultKind,
  OrderRecord,
  OrderService,
  Reply,
  RequestLogEntry,
  RequestService,
} from "./types";
import { bodyForLog, errorCodeOf, parseQuery, redactHeaders } from "./wire";

/** A request as received: before routing, its parameters are not known (nor, maybe, its body). */
export type Received = Omit<Call, "params">;

export class RequestLog {
  constructor(
    private readonly state: State,
    private readonly logger: Logger,
  ) {}

  /** Records a service request and what it was answered (`null`: the connection was dropped). */
  record(
    call: Received,
    service: RequestService,
    reply: Reply | null,
    extra: { note?: string; faults?: FaultKind[] } = {},
  ): void {
    const body = bodyForLog(call.body);
    const errorCode = reply ? errorCodeOf(reply) : undefined;
    const entry: RequestLogEntry = {
      requestId: call.requestId,
      receivedAt: new Date(call.receivedAt).toISOString(),
      service,
      method: call.method,
      path: call.rawPath,
      query: parseQuery(call.rawQuery),
      headers: redactHeaders(call.headers),
      ...(body === undefined ? {} : { body }),
      status: reply?.status ?? null,
      ...(errorCode ? { errorCode } : {}),
      ...(extra.note ? { note: extra.note } : {}),
      ...(extra.faults?.length ? { faults: extra.faults } : {}),
    };
    this.state.logRequest(entry);
    const outcome = reply ? `${reply.status}${errorCode ? ` ${errorCode}` : ""}` : "dropped";
    this.logger.info(`${entry.method} ${entry.path} -> ${outcome} (${service}) ${entry.requestId}`);
    this.logger.debug(`  headers ${JSON.stringify(entry.headers)}`);
    if (body !== undefined) this.logger.debug(`  body ${JSON.stringify(body)}`);
    if (extra.note) this.logger.debug(`  ${extra.note}`);
  }

  /** The log, oldest first. */
  entries(): RequestLogEntry[] {
    return this.state.listRequests();
  }
}

/** Accepted orders, the moment they are recorded (before they are answered). */
export class OrderFeed {
  private readonly events = new EventEmitter();

  publish(order: OrderRecord): void {
    this.events.emit("order", order);
  }

  /** The next order accepted after this call, optionally of one service. */
  next(service?: OrderService): Promise<OrderRecord> {
    return new Promise<OrderRecord>((resolve) => {
      const listener = (order: OrderRecord) => {
        if (service !== undefined && order.service !== service) return;
        this.events.off("order", listener);
        resolve(structuredClone(order));
      };
      this.events.on("order", listener);
    });
  }
}
