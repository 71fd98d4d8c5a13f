// One dynamic provider for every order resource, derived from its OrderKind. It runs in the
// engine's dynamic-provider process; credentials reach it through configure (the stack's
// configuration, secrets decrypted by the engine), the environment, or the resource's secret
// `connection` input — never through the serialized provider.
import type * as pulumi from "@pulumi/pulumi";
import {
  checkSettings,
  HuaweiCloudClient,
  HuaweiCloudError,
  resolveSettings,
  SETTING_LAYERS,
  type ClientSettings,
  type ClientSettingsInput,
  type SettingName,
} from "../client";
import { ORDER_KINDS, type OrderKindName } from "../orders";
import type { OrderKind } from "../orders/order-kind";
import {
  changedFields,
  checkInputs,
  containsUnknown,
  fieldNames,
  toWire,
  UNKNOWN,
  type CheckFailure,
} from "../orders/schema-kit";
import { warnOperator } from "./engine-log";

/** Inputs every order resource has besides its order fields; none of them is part of the order. */
export const RESOURCE_NAME_KEY = "resourceName";
export const CONNECTION_KEY = "connection";
/**
 * Adopts an existing order instead of placing one. It stands in for the `import` resource option,
 * which no Node dynamic resource can use in this SDK version: the dynamic-provider host loads the
 * provider from the state's `__provider`, and an import has no state yet, so its read fails
 * before reaching any provider code ("Cannot read properties of undefined").
 */
export const ADOPT_KEY = "adoptOrderId";
const NOT_ORDER_FIELDS = new Set([RESOURCE_NAME_KEY, CONNECTION_KEY, ADOPT_KEY]);
const ORDER_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

type Props = Record<string, unknown>;

/** Outputs added to the order's effective parameters. */
export interface OrderOutputs {
  orderId: string;
  /** Null for an adopted order: this stack never sent its request. */
  requestId: string | null;
  submittedAt: string | null;
  region: string | null;
  projectId: string | null;
  adopted: boolean;
}

export class OrderProvider implements pulumi.dynamic.ResourceProvider {
  private config: ((name: SettingName) => string | undefined) | undefined;

  constructor(private readonly kind: OrderKind) {}

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.config = (name) => req.config.get(`huaweicloud:${name}`);
  }

  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    const { order, extra } = split(news);
    const result = checkInputs(this.kind.inputs, order);
    const failures = result.ok ? [] : result.failures.map(toPulumiFailure);
    failures.push(...this.settingFailures(olds, extra, result.ok ? (result.value as Props) : undefined));
    const adopt = extra[ADOPT_KEY];
    if (adopt !== undefined && adopt !== UNKNOWN) {
      const own = result.ok ? this.kind.orderId(result.value, undefined) : undefined;
      if (typeof adopt !== "string" || !ORDER_ID_PATTERN.test(adopt)) {
        failures.push({ property: ADOPT_KEY, reason: "adoptOrderId must be 1 to 64 letters and digits" });
      } else if (own !== undefined && own !== UNKNOWN && own !== adopt) {
        failures.push({
          property: ADOPT_KEY,
          reason: `adoptOrderId must be this resource's orderId (${own}): a ${this.kind.name} adopts its own order`,
        });
      } else if (result.ok && olds[ADOPT_KEY] === adopt) {
        // Left in place after the adoption, it would make a replacement adopt the old order again
        // instead of placing the new one the changed parameters call for.
        const changed = changedFields(fieldNames(this.kind.inputs), split(olds).order, result.value as Props);
        if (changed.length > 0) {
          failures.push({
            property: ADOPT_KEY,
            reason:
              `adoptOrderId still names order ${adopt}, which this resource already holds; changing ` +
              `${changed.join(", ")} needs a new order: remove adoptOrderId`,
          });
        }
      }
    }
    if (!result.ok || failures.length > 0) return { inputs: news, failures };
    return { inputs: { ...(result.value as Props), ...extra } };
  }

  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    // adoptOrderId, like the connection, is not part of the order: adding or removing it later is no change.
    const changed = changedFields(fieldNames(this.kind.inputs), olds, split(news).order);
    // An order cannot be edited: any change to what defines it is a new order.
    return { changes: changed.length > 0, replaces: changed, deleteBeforeReplace: false };
  }

  async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    const { order, extra } = split(inputs);
    const checked = checkInputs(this.kind.inputs, order);
    if (!checked.ok)
      throw new Error(
        this.describe(extra, checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")),
      );
    const adopt = extra[ADOPT_KEY];
    if (typeof adopt === "string") return this.adopt(adopt, checked.value as Props, extra);
    const client = this.client(extra);
    try {
      // Only a path that carries the project needs its id first: a DIS order with a ready token needs none.
      const pathProject = this.kind.projectInPath ? await client.projectId() : "";
      const parsed = checked.value as Props;
      const result = await client.call({
        service: this.kind.service,
        operation: this.kind.operation,
        method: "POST",
        path: this.kind.path(parsed, pathProject),
        body: toWire(this.kind.inputs, parsed),
        creates: true,
      });
      const orderId = this.kind.orderId(parsed, result.body);
      if (!orderId) {
        throw new Error(
          `the order request was accepted (HTTP ${result.status}, X-Request-Id ${result.requestId ?? "(none)"}, ` +
            `sent at ${result.sentAt.toISOString()}) but the answer carried no order id. An order may exist: ` +
            `find it in the Billing Center and adopt it with the input \`adoptOrderId\` before running again`,
        );
      }
      const outputs: OrderOutputs = {
        orderId,
        requestId: result.requestId ?? null,
        submittedAt: result.sentAt.toISOString(),
        region: client.settings.region,
        projectId: pathProject || (client.knownProjectId() ?? null),
        adopted: false,
      };
      return { id: orderId, outs: { ...parsed, ...outputs, [RESOURCE_NAME_KEY]: extra[RESOURCE_NAME_KEY] } };
    } catch (err) {
      throw this.wrap(extra, err);
    }
  }

  async update(): Promise<pulumi.dynamic.UpdateResult> {
    // diff replaces on every change to the order, and reports no change otherwise.
    throw new Error(`${this.kind.name} cannot be updated in place: every change to an order replaces it`);
  }

  /** The pages give no way to cancel an order: destroy forgets it, and says so. */
  async delete(id: string, props: Props): Promise<void> {
    const placed =
      typeof props["submittedAt"] === "string"
        ? `placed ${props["submittedAt"]}`
        : "adopted, not placed by this stack";
    const requestId = typeof props["requestId"] === "string" ? `, X-Request-Id ${props["requestId"]}` : "";
    await warnOperator(
      `${this.describe(props, "")}order ${id} (${placed}${requestId}) was removed from the stack, but the order ` +
        `still exists in Huawei Cloud and is still billed as ordered: there is no API to cancel it. ` +
        this.kind.unsubscribeHint,
    );
  }

  /**
   * Records an order that already exists (placed outside Pulumi, or by a run whose outcome was
   * unknown) with the program's parameters, and sends nothing.
   */
  private adopt(orderId: string, parsed: Props, extra: Props): pulumi.dynamic.CreateResult {
    let settings: ClientSettings | undefined;
    try {
      settings = this.settings(extra);
    } catch {
      settings = undefined; // adopting needs no credentials: region and project are recorded if set
    }
    const outputs: OrderOutputs = {
      orderId,
      requestId: null,
      submittedAt: null,
      region: settings?.region ?? null,
      projectId: settings?.projectId ?? null,
      adopted: true,
    };
    return { id: orderId, outs: { ...parsed, ...outputs, [RESOURCE_NAME_KEY]: extra[RESOURCE_NAME_KEY] } };
  }

  /**
   * The settings this resource will use, checked at preview without the network, from its
   * connection input, the stack's `huaweicloud:` config and the HW_* environment. A region and
   * credentials are required only when the resource may place an order: it is new or its order
   * changed, and it adopts none. Values still unknown at preview are checked at `up`.
   */
  private settingFailures(
    olds: Props,
    extra: Props,
    order: Props | undefined,
  ): pulumi.dynamic.CheckFailure[] {
    const connection = extra[CONNECTION_KEY];
    if (connection === UNKNOWN) return [];
    if (
      connection !== undefined &&
      (typeof connection !== "object" || connection === null || Array.isArray(connection))
    ) {
      return [
        {
          property: CONNECTION_KEY,
          reason: "connection must be an object of settings (README, Configuration)",
        },
      ];
    }
    const given = Object.entries((connection ?? {}) as Props);
    const known = Object.fromEntries(given.filter(([, v]) => !containsUnknown(v)));
    const held = split(olds).order;
    const placesOrder =
      extra[ADOPT_KEY] === undefined &&
      (Object.keys(held).length === 0 ||
        order === undefined ||
        changedFields(fieldNames(this.kind.inputs), held, order).length > 0);
    const problems = checkSettings(
      { explicit: known, ...(this.config ? { config: this.config } : {}), env: process.env },
      {
        credentials: placesOrder && given.length === Object.keys(known).length,
        projectInPath: this.kind.projectInPath,
      },
    );
    return problems.map((p) =>
      p.layer === "connection"
        ? { property: `${CONNECTION_KEY}.${p.key}`, reason: p.reason }
        : { property: "", reason: p.layer ? `${p.reason} (from ${SETTING_LAYERS[p.layer]})` : p.reason },
    );
  }

  /** The resource's connection input, then the stack's `huaweicloud:` config, then HW_* variables. */
  private settings(extra: Props): ClientSettings {
    return resolveSettings({
      explicit: (extra[CONNECTION_KEY] as ClientSettingsInput | undefined) ?? {},
      ...(this.config ? { config: this.config } : {}),
      env: process.env,
    });
  }

  private client(extra: Props): HuaweiCloudClient {
    try {
      return new HuaweiCloudClient(this.settings(extra));
    } catch (err) {
      throw new Error(this.describe(extra, `not sent: ${(err as Error).message}`));
    }
  }

  private describe(props: Props, detail: string): string {
    const name = typeof props[RESOURCE_NAME_KEY] === "string" ? ` '${props[RESOURCE_NAME_KEY]}'` : "";
    return `${this.kind.name}${name}: ${detail}`;
  }

  private wrap(extra: Props, err: unknown): Error {
    if (err instanceof HuaweiCloudError) {
      const wrapped = new Error(this.describe(extra, err.message));
      wrapped.name = err.name;
      return wrapped;
    }
    return err instanceof Error && err.message.startsWith(this.kind.name)
      ? err
      : new Error(this.describe(extra, err instanceof Error ? err.message : String(err)));
  }
}

/** Splits props into the order's fields and the rest (resource name, connection, __provider). */
function split(props: Props): { order: Props; extra: Props } {
  const order: Props = {};
  const extra: Props = {};
  for (const [k, v] of Object.entries(props)) {
    if (NOT_ORDER_FIELDS.has(k) || k.startsWith("__")) extra[k] = v;
    else order[k] = v;
  }
  return { order, extra };
}

function toPulumiFailure(f: CheckFailure): pulumi.dynamic.CheckFailure {
  return { property: f.property, reason: f.reason };
}

const providers = new Map<OrderKindName, OrderProvider>();

/** The provider for an order resource type; one per process, so configure happens once. */
export function orderProvider(name: OrderKindName): OrderProvider {
  let provider = providers.get(name);
  if (!provider) {
    provider = new OrderProvider(ORDER_KINDS[name]);
    providers.set(name, provider);
  }
  return provider;
}
