// The provider plugin's gRPC service: the engine's ResourceProvider calls, each handed to the same
// OrderProvider the dynamic resources use (phases/registry.ts), the kind taken from the URN's type
// and the resource's name from the URN. It answers Configure as the dynamic-provider host does:
// no secrets (the engine decrypts inputs and marks outputs secret where inputs were) and no
// preview support, which is what keeps the engine from calling create during a preview.
import type * as grpc from "@grpc/grpc-js";
import type * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { MISNAMED_RESOURCE_NAME_KEY, RESOURCE_NAME_KEY, STACK_KEY } from "../contract/resource-keys";
import { ORDER_KINDS, type OrderKindName } from "../orders";
import { PLUGIN_PACKAGE } from "../orders/order-kind";
import type { OrderProvider } from "../phases/order-provider";
import { orderProvider } from "../phases/registry";
import type { Props } from "../lifecycle/jobs";
import { inPluginTerms, pluginStackConfig } from "./plugin-config";
import { loadProtocol, type Protocol } from "./protocol";

type Handler = grpc.UntypedHandleCall;

/** A resource the engine names in a call: its order kind and Pulumi name. */
export interface PluginTarget {
  kind: OrderKindName;
  name: string;
}

/** `urn:pulumi:stack::project::[parent$]huaweicloud-orders:index:Kind::name` → kind and name. */
export function targetOf(urn: string): PluginTarget {
  const parts = urn.split("::");
  const type = (parts[2] ?? "").split("$").pop() ?? "";
  const [pkg, , kind] = type.split(":");
  if (pkg !== PLUGIN_PACKAGE || kind === undefined || !(kind in ORDER_KINDS)) {
    throw new Error(`${PLUGIN_PACKAGE} has no resource type ${type || urn}`);
  }
  return { kind: kind as OrderKindName, name: parts.slice(3).join("::") };
}

/**
 * `urn:pulumi:stack::project::…` → `stack`: the URN does not name the organization, and the plugin
 * runs in the program's folder, where `pulumi stack export --stack <stack>` finds the rest.
 */
export function stackOf(urn: string): string | undefined {
  const stack = (urn.split("::")[0] ?? "").replace(/^urn:pulumi:/, "");
  return stack === "" ? undefined : stack;
}

/**
 * The program's declared inputs as the sdk would send them: the resource's name under
 * `resourceName` (a program's own `resourceName` kept aside, for check to refuse) and the stack.
 */
export function declaredInputs(urn: string, news: Props, stack: string | undefined): Props {
  const { name } = targetOf(urn);
  return {
    ...news,
    [RESOURCE_NAME_KEY]: name,
    ...(RESOURCE_NAME_KEY in news ? { [MISNAMED_RESOURCE_NAME_KEY]: news[RESOURCE_NAME_KEY] } : {}),
    ...(stack === undefined ? {} : { [STACK_KEY]: stack }),
  };
}

export interface PluginServerOptions {
  version: string;
  /** The package schema, JSON text (GetSchema). */
  schema: () => string;
  /** The provider of an order kind; the registry's, serving this process's one run. */
  providerOf?: (kind: OrderKindName) => OrderProvider;
}

/** The ResourceProvider service; each method a gRPC handler. */
export class PluginServer {
  private readonly proto: Protocol = loadProtocol();
  private readonly providerOf: (kind: OrderKindName) => OrderProvider;

  constructor(private readonly options: PluginServerOptions) {
    this.providerOf = options.providerOf ?? orderProvider;
    this.anyProvider().run.host = "plugin";
  }

  /** Every kind's provider serves the process's one run: configuring one configures them all. */
  private anyProvider(): OrderProvider {
    return this.providerOf(Object.keys(ORDER_KINDS)[0] as OrderKindName);
  }

  /** Every handler, by the service's method names. */
  handlers(): grpc.UntypedServiceImplementation {
    const unimplemented = (what: string): Handler => {
      const handler: grpc.handleUnaryCall<unknown, unknown> = (_call, callback) =>
        callback({
          code: this.proto.grpc.status.UNIMPLEMENTED,
          details: `${what} is not implemented by ${PLUGIN_PACKAGE}`,
        });
      return handler;
    };
    return {
      getPluginInfo: this.unary(async () =>
        new this.proto.plugin.PluginInfo().setVersion(this.options.version),
      ),
      getSchema: this.unary(async () =>
        new this.proto.provider.GetSchemaResponse().setSchema(this.options.schema()),
      ),
      handshake: unimplemented("Handshake"),
      checkConfig: this.unary((call: { request: provproto.CheckRequest }) => this.checkConfig(call.request)),
      diffConfig: this.unary((call: { request: provproto.DiffRequest }) => this.diffConfig(call.request)),
      configure: this.unary((call: { request: provproto.ConfigureRequest }) => this.configure(call.request)),
      check: this.unary((call: { request: provproto.CheckRequest }) => this.check(call.request)),
      diff: this.unary((call: { request: provproto.DiffRequest }) => this.diff(call.request)),
      create: this.unary((call: { request: provproto.CreateRequest }) => this.create(call.request)),
      read: this.unary((call: { request: provproto.ReadRequest }) => this.read(call.request)),
      update: this.unary((call: { request: provproto.UpdateRequest }) => this.update(call.request)),
      delete: this.unary((call: { request: provproto.DeleteRequest }) => this.delete(call.request)),
      cancel: this.unary(async () => new this.proto.empty.Empty()),
      attach: this.unary(async () => new this.proto.empty.Empty()),
      invoke: unimplemented("Invoke"),
      streamInvoke: unimplemented("StreamInvoke"),
      call: unimplemented("Call"),
      construct: unimplemented("Construct"),
      parameterize: unimplemented("Parameterize"),
      getMapping: unimplemented("GetMapping"),
      getMappings: unimplemented("GetMappings"),
    };
  }

  /** A handler from an async function; a thrown error reaches the engine as the call's error. */
  private unary<Req, Res>(run: (call: { request: Req }) => Promise<Res>): Handler {
    const handler: grpc.handleUnaryCall<Req, Res> = (call, callback) => {
      run(call).then(
        (value) => callback(null, value),
        (error: unknown) => callback(this.proto.errorStatus(error, inPluginTerms)),
      );
    };
    return handler as Handler;
  }

  private async checkConfig(req: provproto.CheckRequest): Promise<provproto.CheckResponse> {
    // The configuration is reviewed by configure (an unknown key fails every resource's preview).
    return new this.proto.provider.CheckResponse().setInputs(req.getNews());
  }

  private async diffConfig(req: provproto.DiffRequest): Promise<provproto.DiffResponse> {
    // New credentials or settings never replace the provider, so never an order either.
    const [olds, news] = [req.getOlds()?.toJavaScript() ?? {}, req.getNews()?.toJavaScript() ?? {}];
    const { version: _o, ...oldConfig } = olds;
    const { version: _n, ...newConfig } = news;
    const same = JSON.stringify(sorted(oldConfig)) === JSON.stringify(sorted(newConfig));
    const changes = this.proto.provider.DiffResponse.DiffChanges;
    return new this.proto.provider.DiffResponse().setChanges(same ? changes.DIFF_NONE : changes.DIFF_SOME);
  }

  private async configure(req: provproto.ConfigureRequest): Promise<provproto.ConfigureResponse> {
    const variables = new Map(req.getVariablesMap().toArray());
    await this.anyProvider().run.configure(pluginStackConfig(variables));
    return new this.proto.provider.ConfigureResponse()
      .setAcceptsecrets(false)
      .setAcceptresources(false)
      .setSupportspreview(false);
  }

  private async check(req: provproto.CheckRequest): Promise<provproto.CheckResponse> {
    const urn = req.getUrn();
    const olds = req.getOlds()?.toJavaScript() ?? {};
    const news = declaredInputs(urn, req.getNews()?.toJavaScript() ?? {}, stackOf(urn));
    const result = await this.providerOf(targetOf(urn).kind).check(olds, news);
    const resp = new this.proto.provider.CheckResponse().setInputs(this.proto.struct(result.inputs ?? news));
    for (const f of result.failures ?? []) {
      resp.addFailures(
        new this.proto.provider.CheckFailure().setProperty(f.property).setReason(inPluginTerms(f.reason)),
      );
    }
    return resp;
  }

  private async diff(req: provproto.DiffRequest): Promise<provproto.DiffResponse> {
    const urn = req.getUrn();
    const [olds, news] = [req.getOlds()?.toJavaScript() ?? {}, req.getNews()?.toJavaScript() ?? {}];
    const result = await this.providerOf(targetOf(urn).kind).diff(req.getId(), olds, news);
    const changes = this.proto.provider.DiffResponse.DiffChanges;
    const resp = new this.proto.provider.DiffResponse().setChanges(
      result.changes === true
        ? changes.DIFF_SOME
        : result.changes === false
          ? changes.DIFF_NONE
          : changes.DIFF_UNKNOWN,
    );
    if (result.replaces?.length) resp.setReplacesList(result.replaces);
    if (result.deleteBeforeReplace) resp.setDeletebeforereplace(true);
    return resp;
  }

  private async create(req: provproto.CreateRequest): Promise<provproto.CreateResponse> {
    const urn = req.getUrn();
    // Never reached at a preview (configure declares no preview support); refused if it ever is.
    if (req.getPreview()) throw new Error(`${PLUGIN_PACKAGE}: create called during a preview for ${urn}`);
    const result = await this.providerOf(targetOf(urn).kind).create(
      req.getProperties()?.toJavaScript() ?? {},
    );
    return new this.proto.provider.CreateResponse()
      .setId(result.id)
      .setProperties(this.proto.struct(result.outs ?? {}));
  }

  private async read(req: provproto.ReadRequest): Promise<provproto.ReadResponse> {
    const urn = req.getUrn();
    let props = req.getProperties()?.toJavaScript() ?? {};
    if (Object.keys(props).length === 0) props = req.getInputs()?.toJavaScript() ?? {};
    const provider = this.providerOf(targetOf(urn).kind);
    const result = await provider.read(req.getId(), props);
    const resp = new this.proto.provider.ReadResponse()
      .setId(result.id ?? req.getId())
      .setProperties(this.proto.struct(result.props ?? {}));
    if (result.inputs) resp.setInputs(this.proto.struct(result.inputs));
    return resp;
  }

  private async update(req: provproto.UpdateRequest): Promise<provproto.UpdateResponse> {
    const urn = req.getUrn();
    const [olds, news] = [req.getOlds()?.toJavaScript() ?? {}, req.getNews()?.toJavaScript() ?? {}];
    const result = await this.providerOf(targetOf(urn).kind).update(req.getId(), olds, news);
    return new this.proto.provider.UpdateResponse().setProperties(this.proto.struct(result.outs ?? {}));
  }

  private async delete(req: provproto.DeleteRequest): Promise<unknown> {
    const urn = req.getUrn();
    await this.providerOf(targetOf(urn).kind).delete(req.getId(), req.getProperties()?.toJavaScript() ?? {});
    return new this.proto.empty.Empty();
  }
}

function sorted(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}
