// The emulator's server: one loopback port (node:http) for IAM, DIS, MetaStudio, BSS and the admin
// API, its start and its stop. What happens to a request is emulator/pipeline.ts's; what was
// received, emulator/request-log.ts's; the model behind both, emulator/core.ts's.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type AccountSpec, DEMO_ACCOUNT } from "./accounts";
import type { BillingOrder, BillingResource } from "./billing-records";
import { Core } from "./core";
import { APIGW_REQUEST_ERROR } from "./errors";
import type { ActiveFault, FaultSpec } from "./faults";
import { createLogger, type Logger, type LogLevel } from "./log";
import { RequestPipeline } from "./pipeline";
import type { PriceTable, PriceTableSpec } from "./pricing";
import { OrderFeed, RequestLog } from "./request-log";
import type { OrderRecord, OrderService, RequestLogEntry } from "./types";
import { newRequestId } from "./wire";

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
  /** The service type code of each service's orders and catalogue entry (emulator/README.md, "Service types"). */
  serviceTypeCodes?: Partial<Record<OrderService, string>>;
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
  /** Sets the service type code of the service's new orders and catalogue entry (`reset()` restores it). */
  setServiceTypeCode(service: OrderService, code: string): void;
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
   * Signs or cancels an account's MetaStudio AUTO_PAY agreement, as its owner would in the console
   * (the demo account unless told otherwise); `reset()` restores each account's start-up state.
   */
  setAutoPayAgreement(signed: boolean, domainName?: string): void;
  /** Whether an account (the demo account unless told otherwise) has signed the AUTO_PAY agreement. */
  autoPayAgreementSigned(domainName?: string): boolean;
  /**
   * Resolves with the next order accepted after this call, the moment it is recorded and before
   * it is answered (so a test can act while an injected latency holds the answer back).
   */
  nextOrder(service?: OrderService): Promise<OrderRecord>;
  /** Closes the server and every open connection. */
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const core = new Core(options);
  const logger = createLogger(
    options.logLevel ?? "silent",
    options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  );
  const requestLog = new RequestLog(core.state, logger);
  const orders = new OrderFeed();
  const stopping = new AbortController();
  const pipeline = new RequestPipeline({
    core,
    logger,
    requestLog,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    stopping: stopping.signal,
    onOrder: (order) => orders.publish(order),
  });
  const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    void pipeline.serve(req, res);
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => answerMalformed(err, socket, logger));
  const host = options.host ?? "127.0.0.1";
  const port = await listen(server, options.port ?? 0, host);
  // After start-up, a server error (say, out of file descriptors) is logged, never fatal.
  server.on("error", (err) => logger.info(`server error: ${err.message}`));

  let stopped: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    host,
    port,
    ...operations(core, requestLog, orders),
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

/** Listens; resolves with the port (the one the system chose, for port 0). */
async function listen(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Malformed HTTP never reaches the pipeline: it is answered here, still with a request id. */
function answerMalformed(err: NodeJS.ErrnoException, socket: Duplex, logger: Logger): void {
  if (!socket.writable) return void socket.destroy();
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
}

/** The admin operations as typed methods: the same model the admin API acts on. */
function operations(
  core: Core,
  requestLog: RequestLog,
  orders: OrderFeed,
): Omit<RunningEmulator, "url" | "host" | "port" | "stop"> {
  return {
    orders: (service) => core.state.listOrders(service),
    billingOrders: () => core.billing.orders(undefined, true),
    billingResources: () => core.billing.allResources(),
    setBillingDelay: (ms) => core.setBillingDelay(ms),
    setPricing: (table) => core.setPricing(table),
    setServiceTypeCode: (service, code) => core.setServiceTypeCode(service, code),
    changeResource: (resourceId, change) => core.changeResource(resourceId, change),
    requests: () => requestLog.entries(),
    reset: () => core.reset(),
    injectFaults: (...faults) => core.injectFaults(faults),
    faults: () => core.faults.list(),
    clearFaults: () => core.faults.clear(),
    expireTokens: () => core.expireTokens(),
    issueToken: (opts) => core.issueToken(opts),
    addAccount: (spec) => void core.accounts.add(spec, core.now()),
    setAutoPayAgreement: (signed, domainName = DEMO_ACCOUNT.domainName) => {
      if (!core.setAutoPayAgreement(domainName, signed)) throw new Error(`no account ${domainName}`);
    },
    autoPayAgreementSigned: (domainName = DEMO_ACCOUNT.domainName) => {
      const account = core.accounts.byDomainName(domainName);
      return account !== undefined && core.accounts.autoPaySigned(account.domainId) !== undefined;
    },
    nextOrder: (service) => orders.next(service),
  };
}
