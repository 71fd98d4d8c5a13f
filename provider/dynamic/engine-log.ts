// Warnings and progress lines the operator must see in `pulumi up`/`destroy` output. A dynamic provider's process has
// no engine connection of its own (pulumi.log falls back to the console there), but the engine
// starts it with its address as the first argument, so we call the engine's Log RPC directly,
// through the gRPC stubs @pulumi/pulumi ships.
import * as path from "node:path";

type Severity = "INFO" | "WARNING";

interface LogRequest {
  setSeverity(severity: number): void;
  setMessage(message: string): void;
}
interface EngineClient {
  log(request: LogRequest, callback: (err: Error | null) => void): void;
  close(): void;
}
interface EngineStubs {
  engineProto: { LogRequest: new () => LogRequest; LogSeverity: Record<Severity, number> };
  engineGrpc: { EngineClient: new (address: string, credentials: unknown) => EngineClient };
  grpc: { credentials: { createInsecure(): unknown } };
}

/** The engine's address when this process is Pulumi's Node.js dynamic-provider host. */
export function engineAddress(argv: readonly string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  const isDynamicProviderHost = script.split(path.sep).join("/").includes("cmd/dynamic-provider");
  return isDynamicProviderHost ? argv[2] : undefined;
}

function loadStubs(): EngineStubs {
  // @grpc/grpc-js is @pulumi/pulumi's dependency, resolved from there so both share one copy.
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  /* eslint-disable @typescript-eslint/no-require-imports -- untyped generated stubs, loaded lazily */
  return {
    engineProto: require("@pulumi/pulumi/proto/engine_pb"),
    engineGrpc: require("@pulumi/pulumi/proto/engine_grpc_pb"),
    grpc: require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] })),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Shows `message` as a warning in the engine's output (stderr when there is no engine). */
export function warnOperator(message: string): Promise<void> {
  return logToEngine("WARNING", message);
}

/** Shows `message` as an info line in the engine's output (a progress line; stderr without an engine). */
export function tellOperator(message: string): Promise<void> {
  return logToEngine("INFO", message);
}

/**
 * Lines sent without waiting for the engine's answer (see sendUnawaited), until it comes.
 */
const inFlight = new Set<Promise<void>>();

/**
 * Sends a line without waiting for its delivery. Only for lines whose process is known to live
 * on until a later call waits for them with `delivered()`: the engine ends a provider's process
 * without notice once it needs no more of it, and a line still in flight then is lost.
 */
export function sendUnawaited(line: Promise<void>): void {
  inFlight.add(line);
  void line.then(() => inFlight.delete(line));
}

/** Waits until every line sent without waiting has reached the engine. */
export async function delivered(): Promise<void> {
  await Promise.all([...inFlight]);
}

/**
 * One engine client per process, opened at the first line: a client per line would open a gRPC
 * channel (resolver, connection, HTTP/2 handshake) for every resource, which cost about as much
 * as the order request itself.
 */
let engine: { address: string; client: EngineClient; stubs: EngineStubs } | undefined;

function engineClient(address: string): { client: EngineClient; stubs: EngineStubs } {
  if (engine?.address !== address) {
    engine?.client.close();
    const stubs = loadStubs();
    engine = {
      address,
      client: new stubs.engineGrpc.EngineClient(address, stubs.grpc.credentials.createInsecure()),
      stubs,
    };
  }
  return engine;
}

async function logToEngine(severity: Severity, message: string): Promise<void> {
  const fallback = () => console.warn(`${severity === "WARNING" ? "warning" : "info"}: ${message}`);
  const address = engineAddress();
  if (!address) {
    fallback();
    return;
  }
  const { client, stubs } = engineClient(address);
  const request = new stubs.engineProto.LogRequest();
  request.setSeverity(stubs.engineProto.LogSeverity[severity]);
  request.setMessage(message);
  try {
    await new Promise<void>((resolve, reject) =>
      client.log(request, (err) => (err ? reject(err) : resolve())),
    );
  } catch {
    fallback();
  }
}
