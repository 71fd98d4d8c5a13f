// The provider plugin's entry: `bin/pulumi-resource-huaweicloud-orders` runs it with node. The
// engine starts a plugin with its own flags and its address last; the plugin serves the
// ResourceProvider service on a free loopback port and prints that port, which is how the engine
// finds it. Everything behind the service is the dynamic resources' code (server.ts).
import { packageManifest } from "../client/package-manifest";
import { speakAsPlugin } from "../run/engine-log";
import { inPluginTerms } from "./plugin-config";
import { packageSchema } from "./schema";
import { loadProtocol } from "./protocol";
import { PluginServer, type PluginServerOptions } from "./server";

/** The engine's address among a plugin's arguments: the first that is not a flag or a flag's value. */
export function engineAddressOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--tracing" || arg === "-tracing")
      i++; // the only flag given with a separate value
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

/** A running plugin: the port it serves on, and how to stop it (a test's). */
export interface ServingPlugin {
  port: number;
  stop(): Promise<void>;
}

export async function serve(
  args: readonly string[],
  options: Pick<PluginServerOptions, "providerOf"> = {},
): Promise<ServingPlugin> {
  speakAsPlugin(engineAddressOf(args), inPluginTerms);
  const protocol = loadProtocol();
  const { version } = packageManifest();
  const schema = JSON.stringify(packageSchema(version));
  const server = new protocol.grpc.Server();
  server.addService(
    protocol.service,
    new PluginServer({ ...options, version, schema: () => schema }).handlers(),
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", protocol.grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  return { port, stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())) };
}

if (require.main === module) {
  serve(process.argv.slice(2)).then(
    ({ port }) => console.log(String(port)),
    (err: unknown) => {
      console.error(`${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
