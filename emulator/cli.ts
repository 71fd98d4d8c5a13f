// `npm run emulator -- --port 8080 [--data FILE] [--log-level info] [fault options]`: runs the
// emulator until SIGINT or SIGTERM, then closes every connection and exits 0.
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { accountSpecSchema } from "./accounts";
import type { FaultSpec, FaultTarget } from "./faults";
import { LOG_LEVELS, type LogLevel } from "./log";
import { type EmulatorOptions, startEmulator } from "./server";

export const USAGE = `Usage: npm run emulator -- [options]

  --port N              port to listen on (default 8080; 0 picks a free one)
  --host ADDRESS        address to listen on (default 127.0.0.1)
  --data FILE           keep orders, the request log and token digests in FILE across restarts
  --log-level LEVEL     silent | info | debug (default info)
  --token-ttl SECONDS   lifetime of IAM tokens (default 86400)
  --accounts FILE       a JSON array of extra accounts (see emulator/README.md)
  --billing-delay-ms N  how long a paid order or an unsubscription stays in processing (default 1000)

Faults from the start (reset restores them; see emulator/README.md):
  --fault-service S     all | iam | dis | metastudio | bss: what the options below apply to (default all)
  --throttle-next N     answer the next N requests with 429 APIGW.0308
  --throttle-rate R     allow R requests per second (token bucket), 429 above it
  --throttle-burst B    bucket size for --throttle-rate (default R rounded up)
  --retry-after S       Retry-After seconds for --throttle-next (default 1)
  --error-next N        answer the next N requests with a 5xx
  --error-status S      500 | 502 | 503 | 504 for --error-next (default 500)
  --latency-ms N        wait N ms before every answer
  --drop-next N         record the next N orders, then drop the connection without answering
`;

const integerText = (name: string, min: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min, `${name} must be at least ${min}`);

/** Turns the command line into emulator options; throws with a message meant for the user. */
export function parseCliOptions(argv: string[]): EmulatorOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string", default: "8080" },
      host: { type: "string", default: "127.0.0.1" },
      data: { type: "string" },
      "log-level": { type: "string", default: "info" },
      "token-ttl": { type: "string" },
      accounts: { type: "string" },
      "fault-service": { type: "string", default: "all" },
      "throttle-next": { type: "string" },
      "throttle-rate": { type: "string" },
      "throttle-burst": { type: "string" },
      "retry-after": { type: "string" },
      "error-next": { type: "string" },
      "error-status": { type: "string" },
      "latency-ms": { type: "string" },
      "drop-next": { type: "string" },
      "billing-delay-ms": { type: "string" },
    },
  });
  const int = (name: keyof typeof values, min: number): number | undefined => {
    const raw = values[name];
    return raw === undefined ? undefined : integerText(`--${name}`, min).parse(raw);
  };

  const logLevel = values["log-level"] as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(", ")}`);
  const service = values["fault-service"] as FaultTarget;
  if (!["all", "iam", "dis", "metastudio", "bss"].includes(service)) {
    throw new Error("--fault-service must be all, iam, dis, metastudio or bss");
  }
  const port = int("port", 0) ?? 8080;
  if (port > 65535) throw new Error("--port must be at most 65535");

  const faults = cliFaults(int, service, values["throttle-rate"]);

  const accountsFile = values.accounts;
  const accounts =
    accountsFile === undefined
      ? []
      : z.array(accountSpecSchema).parse(JSON.parse(fs.readFileSync(accountsFile, "utf8")), {
          error: () => `${accountsFile} must hold a JSON array of accounts`,
        });
  const tokenTtl = int("token-ttl", 1);
  const billingDelay = int("billing-delay-ms", 0);
  return {
    port,
    host: values.host,
    logLevel,
    faults,
    accounts,
    ...(values.data === undefined ? {} : { dataFile: values.data }),
    ...(tokenTtl === undefined ? {} : { tokenTtlSeconds: tokenTtl }),
    ...(billingDelay === undefined ? {} : { billingDelayMs: billingDelay }),
  };
}

/** The fault options that take a whole number. */
type CliInteger =
  | "throttle-next"
  | "retry-after"
  | "throttle-burst"
  | "error-next"
  | "error-status"
  | "latency-ms"
  | "drop-next";

/** The fault options, as faults scheduled at start-up for `service`. */
function cliFaults(
  int: (name: CliInteger, min: number) => number | undefined,
  service: FaultTarget,
  throttleRate: string | undefined,
): FaultSpec[] {
  const faults: FaultSpec[] = [];
  const throttleNext = int("throttle-next", 1);
  if (throttleNext !== undefined) {
    faults.push({
      kind: "throttle",
      count: throttleNext,
      service,
      retryAfterSeconds: int("retry-after", 0) ?? 1,
    });
  }
  if (throttleRate !== undefined) {
    const perSecond = Number(throttleRate);
    if (!(perSecond > 0)) throw new Error("--throttle-rate must be a positive number");
    const burst = int("throttle-burst", 1);
    faults.push({ kind: "rate-limit", perSecond, service, ...(burst === undefined ? {} : { burst }) });
  }
  const errorNext = int("error-next", 1);
  if (errorNext !== undefined) {
    const status = int("error-status", 500) ?? 500;
    if (status !== 500 && status !== 502 && status !== 503 && status !== 504) {
      throw new Error("--error-status must be 500, 502, 503 or 504");
    }
    faults.push({ kind: "error", count: errorNext, status, service });
  }
  const latency = int("latency-ms", 0);
  if (latency !== undefined) faults.push({ kind: "latency", ms: latency, service });
  const dropNext = int("drop-next", 1);
  if (dropNext !== undefined) {
    if (service === "iam" || service === "bss")
      throw new Error("--drop-next applies to orders: --fault-service must be all, dis or metastudio");
    faults.push({ kind: "drop", count: dropNext, service });
  }
  return faults;
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = parseCliOptions(process.argv.slice(2));
  } catch (err) {
    const message =
      err instanceof z.ZodError
        ? err.issues.map((i) => i.message).join("; ")
        : err instanceof Error
          ? err.message
          : String(err);
    process.stderr.write(`${message}\n\n${USAGE}`);
    process.exit(2);
  }
  const emulator = await startEmulator({ ...options, log: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(`Huawei Cloud emulator listening on ${emulator.url}\n`);
  const shutdown = (signal: string) => {
    process.stdout.write(`${signal}: stopping\n`);
    void emulator.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
