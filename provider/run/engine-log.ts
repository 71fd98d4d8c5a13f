// Warnings and progress lines the operator must see in `pulumi up`/`destroy` output. A dynamic provider's process has
// no engine connection of its own (pulumi.log falls back to the console there), but the engine
// starts it with its address as the first argument, so we call the engine's Log RPC directly,
// through the gRPC stubs @pulumi/pulumi ships. The provider plugin is told the address the same
// way and hands it over (speakAsPlugin).
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

/** A provider plugin's line to the engine: the address it was started with, and its wording. */
let plugin: { address: string | undefined; wording: (message: string) => string } | undefined;

/** Called by the provider plugin's main: lines go to the engine at `address`, worded for its users. */
export function speakAsPlugin(address: string | undefined, wording: (message: string) => string): void {
  plugin = { address, wording };
}

/**
 * The engine's address: the provider plugin's, or the dynamic-provider host's first argument when
 * this process is Pulumi's Node.js dynamic-provider host.
 */
export function engineAddress(argv: readonly string[] = process.argv): string | undefined {
  if (plugin) return plugin.address;
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

/**
 * The run's line to the operator: warnings and progress lines, through one engine client opened at
 * the first line (a client per line would open a gRPC channel, resolver, connection and HTTP/2
 * handshake for every resource, which cost about as much as the order request itself).
 */
export class EngineLog {
  private engine: { address: string; client: EngineClient; stubs: EngineStubs } | undefined;
  /** Lines sent without waiting for the engine's answer (see sendUnawaited), until it comes. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly address: () => string | undefined = engineAddress) {}

  /** Shows `message` as a warning in the engine's output (stderr when there is no engine). */
  warn(message: string): Promise<void> {
    return this.send("WARNING", message);
  }

  /** Shows `message` as an info line in the engine's output (a progress line; stderr without an engine). */
  tell(message: string): Promise<void> {
    return this.send("INFO", message);
  }

  /**
   * Sends a line without waiting for its delivery. Only for lines whose process is known to live
   * on until a later call waits for them with `delivered()`: the engine ends a provider's process
   * without notice once it needs no more of it, and a line still in flight then is lost.
   */
  sendUnawaited(line: Promise<void>): void {
    this.inFlight.add(line);
    void line.then(() => this.inFlight.delete(line));
  }

  /** Waits until every line sent without waiting has reached the engine. */
  async delivered(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private client(address: string): { client: EngineClient; stubs: EngineStubs } {
    if (this.engine?.address !== address) {
      this.engine?.client.close();
      const stubs = loadStubs();
      this.engine = {
        address,
        client: new stubs.engineGrpc.EngineClient(address, stubs.grpc.credentials.createInsecure()),
        stubs,
      };
    }
    return this.engine;
  }

  private async send(severity: Severity, said: string): Promise<void> {
    const message = plugin ? plugin.wording(said) : said;
    const fallback = () => console.warn(`${severity === "WARNING" ? "warning" : "info"}: ${message}`);
    const address = this.address();
    if (!address) {
      fallback();
      return;
    }
    const { client, stubs } = this.client(address);
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
}
