// How one request goes through the emulator: route -> method -> body (capped) -> injected faults
// (throttle, rate limit, 5xx, token expiry) -> the service's handler (auth, validation, recording)
// -> injected latency -> answer, or the socket dropped after recording. Every answer carries a
// fresh X-Request-Id, errors included, and every service request ends in the request log. The
// admin API (/__emulator/) goes a shorter way: no faults, no request log.
import type * as http from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { ADMIN_PREFIX, type AdminRoute, adminRoutes, handleAdmin } from "./admin";
import type { Core } from "./core";
import { apigwError, APIGW_NOT_FOUND, APIGW_REQUEST_ERROR, internalError, throttled } from "./errors";
import type { Logger } from "./log";
import type { Received, RequestLog } from "./request-log";
import { matchRoute, type ServiceRoute, serviceRoutes } from "./routes";
import type { Call, FaultKind, Handled, OrderRecord, Reply, RequestService } from "./types";
import { newRequestId, readBody, splitTarget, writeReply } from "./wire";

export interface PipelineOptions {
  core: Core;
  logger: Logger;
  requestLog: RequestLog;
  /** A body larger than this is refused with 413 before it is read. */
  maxBodyBytes: number;
  /** Aborted when the emulator stops: an injected latency then ends without an answer. */
  stopping: AbortSignal;
  /** Hears of every order accepted, once recorded and before it is answered. */
  onOrder(order: OrderRecord): void;
}

const describeError = (err: unknown) => (err instanceof Error ? (err.stack ?? err.message) : String(err));

export class RequestPipeline {
  private readonly routes: ServiceRoute[];
  private readonly admin: AdminRoute[];

  constructor(private readonly options: PipelineOptions) {
    this.routes = serviceRoutes(options.core, (order) => options.onOrder(order));
    this.admin = adminRoutes(options.core);
  }

  /** Answers one request; never rejects. */
  serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    return this.receive(req, res).catch((err: unknown) => {
      // Nothing a client sends may take the server down; answer if an answer is still possible.
      this.options.logger.info(`unexpected failure: ${describeError(err)}`);
      if (!res.headersSent)
        writeReply(
          res,
          apigwError(500, "APIGW.0601", "Internal server error.", String(res.getHeader("X-Request-Id"))),
        );
      else res.destroy();
    });
  }

  private async receive(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = newRequestId();
    res.setHeader("X-Request-Id", requestId);
    const { rawPath, rawQuery } = splitTarget(req.url ?? "/");
    const received: Received = {
      requestId,
      receivedAt: this.options.core.now(),
      method: req.method ?? "GET",
      rawPath,
      rawQuery,
      headers: req.headers,
      body: Buffer.alloc(0),
    };
    if (rawPath === ADMIN_PREFIX || rawPath.startsWith(`${ADMIN_PREFIX}/`)) {
      return this.serveAdmin(req, res, received);
    }

    const matched = matchRoute(this.routes, rawPath);
    if (!matched) {
      const message = "The API does not exist or has not been published in the environment.";
      return this.refuse(res, received, "unknown", apigwError(404, APIGW_NOT_FOUND, message, requestId));
    }
    const { route, params } = matched;
    if (received.method !== route.method) {
      // The gateway answers an unknown method with 404 APIGW.0101 "The API does not exist."; the
      // emulator says 405 with Allow, which tells a client author more.
      return this.refuse(res, received, route.service, {
        ...apigwError(405, APIGW_NOT_FOUND, "The API does not exist.", requestId),
        headers: { Allow: route.method },
      });
    }

    const read = await readBody(req, this.options.maxBodyBytes);
    if (read.kind === "aborted") return;
    if (read.kind === "too-large") {
      return this.refuse(res, received, route.service, {
        ...apigwError(413, APIGW_REQUEST_ERROR, "Request entity too large.", requestId),
        headers: { Connection: "close" },
      });
    }
    return this.answer(req, res, route, { ...received, body: read.body, params });
  }

  private async serveAdmin(req: http.IncomingMessage, res: http.ServerResponse, received: Received) {
    const { maxBodyBytes, logger } = this.options;
    const read = await readBody(req, maxBodyBytes);
    if (read.kind === "aborted") return;
    const subPath = received.rawPath.slice(ADMIN_PREFIX.length);
    const reply =
      read.kind === "ok"
        ? handleAdmin(this.admin, received.method, subPath, received.rawQuery, read.body)
        : { status: 413, body: { error: `the body is over ${maxBodyBytes} bytes` } };
    writeReply(res, reply);
    logger.debug(`${received.method} ${received.rawPath} -> ${reply.status} (admin) ${received.requestId}`);
  }

  /** A request answered before any handler saw it (no such API, wrong method, body too large). */
  private refuse(res: http.ServerResponse, received: Received, service: RequestService, reply: Reply): void {
    writeReply(res, reply);
    this.options.requestLog.record(received, service, reply);
  }

  /** The handler's answer, shaped by the faults after it: latency, drop, 5xx after accept. */
  private async answer(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    route: ServiceRoute,
    call: Call,
  ): Promise<void> {
    const { core, requestLog } = this.options;
    const faults: FaultKind[] = [];
    const handled = this.handle(route, call, faults);
    const latency = core.faults.latency(route.service);
    if (latency > 0) {
      faults.push("latency");
      try {
        await delay(latency, undefined, { signal: this.options.stopping });
      } catch {
        return; // stopping: every connection is being closed anyway
      }
    }
    if (handled.order && core.faults.drop(handled.order.service)) {
      faults.push("drop");
      requestLog.record(call, route.service, null, { faults, note: handled.note });
      req.socket.destroy();
      return;
    }
    const failAfter = handled.order && core.faults.errorAfterAccept(handled.order.service);
    if (failAfter) {
      // The order is recorded; the answer the client gets says only that something failed.
      faults.push("error-after-accept");
      const reply = internalError(route.service, failAfter, call.requestId);
      writeReply(res, reply);
      requestLog.record(call, route.service, reply, { faults, note: handled.note });
      return;
    }
    writeReply(res, handled.reply);
    requestLog.record(call, route.service, handled.reply, { faults, note: handled.note });
  }

  /** Injected throttling or 5xx first; otherwise the service's own handler. */
  private handle(route: ServiceRoute, call: Call, applied: FaultKind[]): Handled {
    const { core, logger } = this.options;
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
    const placesOrder =
      route.method === "POST" && (service === "dis" || service === "metastudio") && !route.notAnOrder;
    if (placesOrder && call.headers["x-auth-token"] && core.faults.tokenExpiry(service)) {
      applied.push("token-expiry");
      core.expireTokens();
    }
    try {
      const handled = route.handle(call);
      applied.push(...(handled.faults ?? []));
      return handled;
    } catch (err) {
      logger.info(`internal error on ${call.requestId}: ${describeError(err)}`);
      return { reply: internalError(route.service, 500, call.requestId) };
    }
  }
}
