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

async function logToEngine(severity: Severity, message: string): Promise<void> {
  const fallback = () => console.warn(`${severity === "WARNING" ? "warning" : "info"}: ${message}`);
  const address = engineAddress();
  if (!address) {
    fallback();
    return;
  }
  const { engineProto, engineGrpc, grpc } = loadStubs();
  const client = new engineGrpc.EngineClient(address, grpc.credentials.createInsecure());
  const request = new engineProto.LogRequest();
  request.setSeverity(engineProto.LogSeverity[severity]);
  request.setMessage(message);
  try {
    await new Promise<void>((resolve, reject) =>
      client.log(request, (err) => (err ? reject(err) : resolve())),
    );
  } catch {
    fallback();
  } finally {
    client.close();
  }
}
