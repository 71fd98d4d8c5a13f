// The HTTP server: one loopback port serves IAM, DIS, MetaStudio and BSS (routed by path) and the
// admin API under /__emulator/. Every answer carries a fresh X-Request-Id, errors included. A request
// goes: route -> method -> body (capped) -> injected faults -> the service's handler (auth,
// validation, recording) -> injected latency -> answer, or the socket dropped after recording.
import { EventEmitter } from "node:events";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import type { AccountSpec } from "./accounts";
import { ADMIN_PREFIX, adminRoutes, handleAdmin } from "./admin";
import {
  listCustomerOrders,
  payOrder,
  queryResources,
  ratePeriodProducts,
  showOrderDetails,
  unsubscribeResources,
} from "./bss";
import type { PriceTable, PriceTableSpec } from "./pricing";
import { Core } from "./core";
import { submitDisOrder } from "./dis";
import {
  apigwError,
  APIGW_NOT_FOUND,
  APIGW_REQUEST_ERROR,
  internalError,
  type Reply,
  type ServiceName,
  throttled,
} from "./errors";
import type { ActiveFault, FaultKind, FaultSpec } from "./faults";
import { createToken, listAuthDomains } from "./iam";
import { createLogger, type LogLevel } from "./log";
import { listTenantResources, subscribeMetastudio } from "./metastudio";
import type { BillingOrder, BillingResource } from "./billing";
import type { OrderRecord, OrderService, RequestLogEntry } from "./state";
import {
  bodyForLog,
  type Call,
  decodeSegment,
  errorCodeOf,
  type Handled,
  newRequestId,
  parseQuery,
  readBody,
  redactHeaders,
  splitTarget,
  writeReply,
} from "./wire";

/** A body larger than this is refused with 413 before it is read. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
// DIS allows tokens of up to 32,768 characters, over node's default 16 KiB header limit.
const MAX_HEADER_BYTES = 64 * 1024;

export interface EmulatorOptions {
  /** Default 0: a free port chosen by the system. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A JSON file holding orders, the request log and token digests across restarts. */
  dataFile?: string;
  /** Default "silent". */
  logLevel?: LogLevel;
  /** Where log lines go; default stderr. */
  log?: (line: string) => void;
  /** Lifetime of the tokens IAM issues; default 24 hours, as IAM's. */
  tokenTtlSeconds?: number;
  /** Seed the demo account (emulator/README.md); default true. */
  seedDemoAccount?: boolean;
  accounts?: AccountSpec[];
  /** Faults scheduled at start-up; `reset()` schedules them again. */
  faults?: FaultSpec[];
  maxBodyBytes?: number;
  /** Epoch milliseconds; tests pass a fake clock to move time without waiting. */
  clock?: () => number;
  /** How long a paid order (or an unsubscription) stays in processing; default 1000 ms. */
  billingDelayMs?: number;
  /** The period price inquiry's table (emulator/README.md, "Price inquiry"); default: the data file's, else the default table. */
  pricing?: PriceTableSpec;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:8080: the base URL of IAM, DIS and MetaStudio alike. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Accepted orders, oldest first, optionally of one service. */
  orders(service?: OrderService): OrderRecord[];
  /** BSS's customer orders (type 1 new, 4 unsubscribe), as the clock says they are now. */
  billingOrders(): BillingOrder[];
  /** BSS's resources, unsubscribed ones included (`removedAt` set). */
  billingResources(): BillingResource[];
  /** Sets how long paid orders and unsubscriptions stay in processing (`reset()` restores it). */
  setBillingDelay(ms: number): void;
  /** Replaces the price inquiry's table (kept across reset, and in the data file). */
  setPricing(table: PriceTableSpec): PriceTable;
  /** "Outside Pulumi": a resource expires, is frozen, or is unsubscribed (at once) now. */
  changeResource(resourceId: string, change: "expire" | "freeze" | "unsubscribe"): boolean;
  /** The request log (IAM, DIS, MetaStudio and unknown paths; never the admin API). */
  requests(): RequestLogEntry[];
  /** Forgets orders, requests and tokens; faults go back to the start-up ones. */
  reset(): void;
  injectFaults(...faults: FaultSpec[]): ActiveFault[];
  faults(): ActiveFault[];
  clearFaults(): void;
  /** Makes every token issued so far expire now; returns how many were still valid. */
  expireTokens(): number;
  /**
   * A token as IAM issues it, for the demo account's cn-north-4 project unless told otherwise;
   * `scope: "domain"` gives the domain-scoped (global) token BSS takes.
   */
  issueToken(options?: { domainName?: string; projectId?: string; scope?: "project" | "domain" }): string;
  addAccount(spec: AccountSpec): void;
  /**
   * Resolves with the next order accepted after this call, the moment it is recorded and before
   * it is answered (so a test can act while an injected latency holds the answer back).
   */
  nextOrder(service?: OrderService): Promise<OrderRecord>;
  /** Closes the server and every open connection. */
  stop(): Promise<void>;
}

interface ServiceRoute {
  service: ServiceName;
  method: "GET" | "POST";
  pattern: RegExp;
  params: string[];
  handle(call: Call): Handled;
}

function serviceRoutes(core: Core, onOrder: (order: OrderRecord) => void): ServiceRoute[] {
  const record = (order: OrderRecord) => {
    core.state.recordOrder(order);
    onOrder(order);
  };
  /** An accepted order also becomes a BSS customer order (with the lifecycle faults it drew). */
  const billed = (handled: Handled): Handled =>
    handled.order ? { ...handled, faults: core.placeBillingOrder(handled.order) } : handled;
  const bss = (method: "GET" | "POST", pattern: RegExp, handle: typeof payOrder, params: string[] = []) => ({
    service: "bss" as const,
    method,
    pattern,
    params,
    handle: (call: Call) => handle(call, core.bssContext()),
  });
  // BSS first: DIS's /v2/orders/{order_id} would also match /v2/orders/customer-orders (DIS
  // order ids are letters and digits only, so no DIS order is shadowed).
  return [
    bss("GET", /^\/v2\/orders\/customer-orders\/details\/([^/]+)$/, showOrderDetails, ["order_id"]),
    bss("GET", /^\/v2\/orders\/customer-orders$/, listCustomerOrders),
    bss("POST", /^\/v3\/orders\/customer-orders\/pay$/, payOrder),
    bss("POST", /^\/v2\/orders\/suscriptions\/resources\/query$/, queryResources),
    bss("POST", /^\/v2\/orders\/subscriptions\/resources\/unsubscribe$/, unsubscribeResources),
    bss("POST", /^\/v2\/bills\/ratings\/period-resources\/subscribe-rate$/, ratePeriodProducts),
    {
      service: "iam",
      method: "POST",
      pattern: /^\/v3\/auth\/tokens$/,
      params: [],
      handle: (call) => ({ reply: createToken(call, core.iamContext()) }),
    },
    {
      service: "iam",
      method: "GET",
      pattern: /^\/v3\/auth\/domains$/,
      params: [],
      handle: (call) => listAuthDomains(call, core.authContext()),
    },
    {
      service: "dis",
      method: "POST",
      pattern: /^\/v2\/orders\/([^/]+)$/,
      params: ["order_id"],
      handle: (call) =>
        billed(submitDisOrder(call, core.authContext(), record, (id) => core.state.hasOrderId("dis", id))),
    },
    {
      service: "metastudio",
      method: "POST",
      pattern: /^\/v1\/([^/]+)\/mss\/public\/orders$/,
      params: ["project_id"],
      handle: (call) =>
        billed(
          subscribeMetastudio(call, core.authContext(), record, (id) =>
            core.state.hasOrderId("metastudio", id),
          ),
        ),
    },
    {
      service: "metastudio",
      method: "GET",
      pattern: /^\/v1\/([^/]+)\/tenants\/resources$/,
      params: ["project_id"],
      handle: (call) =>
        listTenantResources(call, core.authContext(), (domainId) => core.billing.resources(domainId)),
    },
  ];
}

/** The route a path belongs to, with its parameters percent-decoded. */
function matchRoute(
  routes: ServiceRoute[],
  rawPath: string,
): { route: ServiceRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const m = route.pattern.exec(rawPath);
    if (m) {
      return {
        route,
        params: Object.fromEntries(route.params.map((name, i) => [name, decodeSegment(m[i + 1] ?? "")])),
      };
    }
  }
  return undefined;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const core = new Core(options);
  const logger = createLogger(
    options.logLevel ?? "silent",
    options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  );
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const orderEvents = new EventEmitter();
  const routes = serviceRoutes(core, (order) => orderEvents.emit("order", order));
  const admin = adminRoutes(core);
  const stopping = new AbortController();

  /** One entry of the request log (and one log line) per service request answered or dropped. */
  function logRequest(
    req: http.IncomingMessage,
    call: Pick<Call, "requestId" | "receivedAt" | "rawPath" | "rawQuery" | "body">,
    service: RequestLogEntry["service"],
    reply: Reply | null,
    extra: { note?: string; faults?: FaultKind[] } = {},
  ): void {
    const body = bodyForLog(call.body);
    const errorCode = reply ? errorCodeOf(reply) : undefined;
    const entry: RequestLogEntry = {
      requestId: call.requestId,
      receivedAt: new Date(call.receivedAt).toISOString(),
      service,
      method: req.method ?? "",
      path: call.rawPath,
      query: parseQuery(call.rawQuery),
      headers: redactHeaders(req.headers),
      ...(body === undefined ? {} : { body }),
      status: reply?.status ?? null,
      ...(errorCode ? { errorCode } : {}),
      ...(extra.note ? { note: extra.note } : {}),
      ...(extra.faults?.length ? { faults: extra.faults } : {}),
    };
    core.state.logRequest(entry);
    const outcome = reply ? `${reply.status}${errorCode ? ` ${errorCode}` : ""}` : "dropped";
    logger.info(`${entry.method} ${entry.path} -> ${outcome} (${service}) ${entry.requestId}`);
    logger.debug(`  headers ${JSON.stringify(entry.headers)}`);
    if (body !== undefined) logger.debug(`  body ${JSON.stringify(body)}`);
    if (extra.note) logger.debug(`  ${extra.note}`);
  }

  /** Injected throttling or 5xx first; otherwise the service's own handler. */
  function handle(route: ServiceRoute, call: Call, applied: FaultKind[]): Handled {
    const gate = core.faults.gate(route.service);
    if (gate?.kind === "throttle") {
      applied.push(gate.limitPerSecond === undefined ? "throttle" : "rate-limit");
      return { reply: throttled(call.requestId, gate.retryAfterSeconds, gate.limitPerSecond) };
    }
    if (gate?.kind === "error") {
      applied.push("error");
      return { reply: internalError(route.service, gate.status, call.requestId) };
    }
    const service = route.service;
    const placesOrder = route.method === "POST" && (service === "dis" || service === "metastudio");
    if (placesOrder && call.headers["x-auth-token"] && core.faults.tokenExpiry(service)) {
      applied.push("token-expiry");
      core.expireTokens();
    }
    try {
      const handled = route.handle(call);
      applied.push(...(handled.faults ?? []));
      return handled;
    } catch (err) {
      logger.info(
        `internal error on ${call.requestId}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      return { reply: internalError(route.service, 500, call.requestId) };
    }
  }

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = newRequestId();
    res.setHeader("X-Request-Id", requestId);
    const receivedAt = core.now();
    const method = req.method ?? "GET";
    const { rawPath, rawQuery } = splitTarget(req.url ?? "/");
    const noBody = { requestId, receivedAt, rawPath, rawQuery, body: Buffer.alloc(0) };

    if (rawPath === ADMIN_PREFIX || rawPath.startsWith(`${ADMIN_PREFIX}/`)) {
      const read = await readBody(req, maxBody);
      if (read.kind === "aborted") return;
      const reply =
        read.kind === "ok"
          ? handleAdmin(admin, method, rawPath.slice(ADMIN_PREFIX.length), rawQuery, read.body)
          : { status: 413, body: { error: `the body is over ${maxBody} bytes` } };
      writeReply(res, reply);
      logger.debug(`${method} ${rawPath} -> ${reply.status} (admin) ${requestId}`);
      return;
    }

    const matched = matchRoute(routes, rawPath);
    if (!matched) {
      const message = "The API does not exist or has not been published in the environment.";
      const reply = apigwError(404, APIGW_NOT_FOUND, message, requestId);
      writeReply(res, reply);
      return logRequest(req, noBody, "unknown", reply);
    }
    const { route, params } = matched;
    if (method !== route.method) {
      // The gateway answers an unknown method with 404 APIGW.0101 "The API does not exist."; the
      // emulator says 405 with Allow, which tells a client author more.
      const reply = {
        ...apigwError(405, APIGW_NOT_FOUND, "The API does not exist.", requestId),
        headers: { Allow: route.method },
      };
      writeReply(res, reply);
      return logRequest(req, noBody, route.service, reply);
    }

    const read = await readBody(req, maxBody);
    if (read.kind === "aborted") return;
    if (read.kind === "too-large") {
      const reply = {
        ...apigwError(413, APIGW_REQUEST_ERROR, "Request entity too large.", requestId),
        headers: { Connection: "close" },
      };
      writeReply(res, reply);
      return logRequest(req, noBody, route.service, reply);
    }

    const call: Call = {
      requestId,
      receivedAt,
      method,
      rawPath,
      rawQuery,
      headers: req.headers,
      body: read.body,
      params,
    };
    const faults: FaultKind[] = [];
    const handled = handle(route, call, faults);
    const latency = core.faults.latency(route.service);
    if (latency > 0) {
      faults.push("latency");
      try {
        await delay(latency, undefined, { signal: stopping.signal });
      } catch {
        return; // stopping: every connection is being closed anyway
      }
    }
    if (handled.order && core.faults.drop(handled.order.service)) {
      faults.push("drop");
      logRequest(req, call, route.service, null, { faults, note: handled.note });
      req.socket.destroy();
      return;
    }
    const failAfter = handled.order && core.faults.errorAfterAccept(handled.order.service);
    if (failAfter) {
      // The order is recorded; the answer the client gets says only that something failed.
      faults.push("error-after-accept");
      const reply = internalError(route.service, failAfter, call.requestId);
      writeReply(res, reply);
      logRequest(req, call, route.service, reply, { faults, note: handled.note });
      return;
    }
    writeReply(res, handled.reply);
    logRequest(req, call, route.service, handled.reply, { faults, note: handled.note });
  }

  const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    serve(req, res).catch((err: unknown) => {
      // Nothing a client sends may take the server down; answer if an answer is still possible.
      logger.info(`unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent)
        writeReply(
          res,
          apigwError(500, "APIGW.0601", "Internal server error.", String(res.getHeader("X-Request-Id"))),
        );
      else res.destroy();
    });
  });
  // Malformed HTTP never reaches `serve`: answer it here, still with a request id.
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const requestId = newRequestId();
    const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      error_msg: tooLarge ? "Request headers too large." : "Bad request.",
      error_code: tooLarge ? APIGW_REQUEST_ERROR : "APIGW.0602",
      request_id: requestId,
    });
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nX-Request-Id: ${requestId}\r\n` +
        `Content-Type: application/json;charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
    logger.info(`malformed request (${err.code ?? err.message}) -> ${status} ${requestId}`);
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // After start-up, a server error (say, out of file descriptors) is logged, never fatal.
  server.on("error", (err) => logger.info(`server error: ${err.message}`));
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  let stopped: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    orders: (service) => core.state.listOrders(service),
    billingOrders: () => core.billing.orders(undefined, true),
    billingResources: () => core.billing.allResources(),
    setBillingDelay: (ms) => core.setBillingDelay(ms),
    setPricing: (table) => core.setPricing(table),
    changeResource: (resourceId, change) => core.changeResource(resourceId, change),
    requests: () => core.state.listRequests(),
    reset: () => core.reset(),
    injectFaults: (...faults) => core.injectFaults(faults),
    faults: () => core.faults.list(),
    clearFaults: () => core.faults.clear(),
    expireTokens: () => core.expireTokens(),
    issueToken: (opts) => core.issueToken(opts),
    addAccount: (spec) => void core.accounts.add(spec),
    nextOrder: (service) =>
      new Promise<OrderRecord>((resolve) => {
        const listener = (order: OrderRecord) => {
          if (service !== undefined && order.service !== service) return;
          orderEvents.off("order", listener);
          resolve(structuredClone(order));
        };
        orderEvents.on("order", listener);
      }),
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        stopping.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
