// One dynamic provider for every order resource, derived from its OrderKind. It runs in the
// engine's dynamic-provider process; credentials reach it through configure (the stack's
// configuration, secrets decrypted by the engine), the environment, or the resource's secret
// `connection` input — never through the serialized provider.
import type * as pulumi from "@pulumi/pulumi";
import {
  bss,
  checkSettings,
  HuaweiCloudClient,
  HuaweiCloudError,
  OrderOutcomeUnknownError,
  processRateLimiter,
  resolveSettings,
  type AdaptiveRateLimiter,
  SETTING_LAYERS,
  type ClientSettings,
  type ClientSettingsInput,
  type SettingName,
} from "../client";
import { ORDER_KINDS, type OrderKindName } from "../orders";
import type { OrderKind } from "../orders/order-kind";
import { changedOrderFields } from "../orders/changes";
import {
  checkInputs,
  containsUnknown,
  fieldNames,
  toWire,
  UNKNOWN,
  type CheckFailure,
} from "../orders/schema-kit";
import {
  DEFAULT_DUPLICATE_WINDOW_MINUTES,
  duplicateGuardInputs,
  parseDuplicateWindow,
  RecentOrders,
  type IdenticalOrder,
} from "./duplicate-guard";
import { delivered, sendUnawaited, tellOperator, warnOperator } from "./engine-log";
import { OrderBudget, parseMaxNewOrders } from "./order-budget";
import { refreshOrder, subscriptionOf, type SubscriptionOutputs } from "./order-refresh";
import { destroyInputs, unsubscribeOrder, type OnDestroy } from "./order-unsubscribe";
import {
  checkPriceInquiry,
  describePrice,
  parsePriceSettings,
  priceAtCheck,
  PriceTally,
  quoteOrder,
  type PriceSettings,
} from "./preview-price";
import {
  DEFAULT_POLL_INTERVAL_SECONDS,
  followInputs,
  followOrder,
  FollowStopped,
  isBefore,
  NOT_FOLLOWED,
  parsePollInterval,
  recordedFollow,
  STAGES,
  type FollowOutputs,
  type FollowSettings,
  type Stage,
} from "./order-follow";
import {
  DEFAULT_RECONCILE_SECONDS,
  describeCandidate,
  OrderLedger,
  parseReconcileSeconds,
  ReconcileFailed,
  reconcileOrder,
  type Reconciled,
} from "./order-reconcile";
import {
  ADOPT_KEY,
  ALLOW_IDENTICAL_KEY,
  AUTO_PAY_KEY,
  CONNECTION_KEY,
  MISNAMED_RESOURCE_NAME_KEY,
  ON_DESTROY_KEY,
  PREVIEW_PRICE_KEY,
  PRICE_INQUIRY_KEY,
  RESOURCE_NAME_KEY,
  WAIT_TIMEOUT_KEY,
  WAIT_UNTIL_KEY,
} from "./resource-keys";

export { ADOPT_KEY, CONNECTION_KEY, MISNAMED_RESOURCE_NAME_KEY, RESOURCE_NAME_KEY };

/** Inputs that say how to follow the order: like the connection, never part of the order. */
const FOLLOW_KEYS = [WAIT_UNTIL_KEY, WAIT_TIMEOUT_KEY, AUTO_PAY_KEY] as const;
const NOT_ORDER_FIELDS = new Set<string>([
  RESOURCE_NAME_KEY,
  CONNECTION_KEY,
  ADOPT_KEY,
  ON_DESTROY_KEY,
  ...FOLLOW_KEYS,
  PRICE_INQUIRY_KEY,
  PREVIEW_PRICE_KEY,
  ALLOW_IDENTICAL_KEY,
]);
/** The output recording what the program declared, which diff compares (see orders/changes.ts). */
export const DECLARED_KEY = "declaredInputs";
const ORDER_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;
/** How long the engine shows no resource before the program counts as done declaring (see OrderLedger.quiet). */
const DECLARED_TOGETHER_MS = 1000;

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
  private maxNewOrders: ReturnType<typeof parseMaxNewOrders>;
  private pollInterval: ReturnType<typeof parsePollInterval>;
  private reconcileWait: ReturnType<typeof parseReconcileSeconds>;
  private duplicateWindow: ReturnType<typeof parseDuplicateWindow>;
  private priceSettings: ReturnType<typeof parsePriceSettings> = { inquire: true, require: false };

  constructor(
    private readonly kind: OrderKind,
    private readonly budget: OrderBudget = new OrderBudget(),
    private readonly ledger: OrderLedger = new OrderLedger(),
    /** The update's prices; without it (a provider built outside the engine's process) no price is asked. */
    private readonly prices?: PriceTally,
    private readonly recent: RecentOrders = new RecentOrders(),
    /** Paces every request of the process once the API throttles (README "Configuration", "Throttling is shared"). */
    private readonly limiter: AdaptiveRateLimiter = processRateLimiter,
  ) {}

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.config = (name) => req.config.get(`huaweicloud:${name}`);
    this.maxNewOrders = parseMaxNewOrders(req.config.get("huaweicloud:maxNewOrders"));
    this.pollInterval = parsePollInterval(req.config.get("huaweicloud:orderPollIntervalSeconds"));
    this.reconcileWait = parseReconcileSeconds(req.config.get("huaweicloud:orderReconcileSeconds"));
    this.duplicateWindow = parseDuplicateWindow(req.config.get("huaweicloud:duplicateOrderWindowMinutes"));
    this.priceSettings = parsePriceSettings((key) => req.config.get(key));
  }

  /**
   * Validates what the program declared and returns it as declared: defaults are filled in only
   * where an order is placed, so the inputs recorded in state are the program's own.
   */
  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    this.ledger.shown();
    const { order, extra } = split(news);
    const result = checkInputs(this.kind.inputs, order);
    const failures = result.ok ? [] : result.failures.map(toPulumiFailure);
    if (MISNAMED_RESOURCE_NAME_KEY in extra) {
      failures.push({ property: RESOURCE_NAME_KEY, reason: "is not a field of this resource" });
    }
    failures.push(...this.settingFailures(olds, extra, result.ok ? order : undefined));
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
      }
    }
    failures.push(...this.checkFollow(extra));
    failures.push(...this.checkDestroy(extra, result.ok ? (result.value as Props) : undefined));
    failures.push(...checkPriceInquiry(extra[PRICE_INQUIRY_KEY]));
    failures.push(...this.checkDuplicateGuard(extra));
    if (PREVIEW_PRICE_KEY in extra) {
      failures.push({
        property: PREVIEW_PRICE_KEY,
        reason: "is recorded by the provider at preview (the price BSS quotes), never set by a program",
      });
    }
    if ("error" in this.priceSettings) failures.push({ property: "", reason: this.priceSettings.error });
    if (typeof this.maxNewOrders === "object") {
      failures.push({ property: "", reason: this.maxNewOrders.error });
    }
    if (typeof this.pollInterval === "object") {
      failures.push({ property: "", reason: this.pollInterval.error });
    }
    if (typeof this.reconcileWait === "object") {
      failures.push({ property: "", reason: this.reconcileWait.error });
    }
    if (typeof this.duplicateWindow === "object") {
      failures.push({ property: "", reason: this.duplicateWindow.error });
    }
    if (failures.length > 0) return { inputs: news, failures };
    // No olds: the resource is new to the stack, and creating it buys an order.
    if (Object.keys(olds).length === 0) {
      if (typeof adopt === "string") {
        await this.checkLine(
          warnOperator(this.describe(extra, `adopts order ${adopt} into the stack; no order is placed`)),
        );
      } else {
        const announced = this.newOrder(
          extra,
          "places a new paid order. If this resource was renamed or moved, give it `aliases` to keep its order instead",
        );
        // The engine checks one resource at a time, so a check's wait is every resource's: the
        // warning, the duplicate look and the price inquiry go out together.
        const [, , checked] = await Promise.all([
          announced,
          this.previewDuplicates(extra, result.ok ? (result.value as Props) : undefined),
          // A create, or the create half of a replacement (the engine checks it again with no olds).
          this.withPreviewPrice(news, result.ok ? result.value : order, extra),
        ]);
        return checked;
      }
    }
    return { inputs: news };
  }

  /**
   * The checked inputs with the order's price as BSS quotes it (`previewPrice`), shown to the
   * operator with the update's running total; without it when the price cannot be had, which
   * fails the preview only under huaweicloud:requirePreviewPrice.
   */
  private async withPreviewPrice(
    news: Props,
    parsed: unknown,
    extra: Props,
  ): Promise<pulumi.dynamic.CheckResult> {
    const settings = this.priceSettings as PriceSettings;
    if (!this.prices) return { inputs: news };
    const prices = this.prices;
    const decide = () =>
      priceAtCheck({ settings, servesUpdate: prices.servesUpdate, throttled: this.limiter.state().enabled });
    const skipped = async (): Promise<pulumi.dynamic.CheckResult> => {
      const notice = prices.skipNotice();
      if (notice !== undefined) await this.checkLine(tellOperator(notice));
      return { inputs: news };
    };
    const now = decide();
    if (now === "off") return { inputs: news };
    if (now === "skip-throttled") return skipped();
    const label = `${this.kind.name} '${String(extra[RESOURCE_NAME_KEY] ?? "?")}'`;
    const parsedOrder = parsed as Props;
    const quote = await quoteOrder({
      kind: this.kind,
      order: parsedOrder,
      overrides: extra[PRICE_INQUIRY_KEY],
      settings: () => {
        if (containsUnknown(extra[CONNECTION_KEY]))
          throw new Error("its connection settings are not known until `pulumi up`");
        return this.settings(extra);
      },
      projectHint: typeof parsedOrder["tenantId"] === "string" ? parsedOrder["tenantId"] : undefined,
      limiter: this.limiter,
      // In an update the price is information only and check holds up the engine's next resource:
      // a refused inquiry is not retried (a 429 then turns the update's pricing off, below). The
      // engine may check the second resource before the first one's create reaches this process,
      // so an inquiry that began as if at preview stops retrying once a create arrives.
      ...(prices.servesUpdate && !settings.require ? { maxRetryWaitMs: 0 } : {}),
      keepRetrying: () => !prices.servesUpdate || settings.require,
      answers: prices.answers,
    });
    if ("price" in quote) {
      // One message, one round trip to the engine: the order's price, then the running total.
      await this.checkLine(
        tellOperator(
          `${this.describe(extra, describePrice(quote.price))}\n${prices.record(label, quote.price)}`,
        ),
      );
      return { inputs: { ...news, [PREVIEW_PRICE_KEY]: quote.price } };
    }
    // Refused for the rate just now: the same as being throttled before asking.
    if (decide() === "skip-throttled") return skipped();
    const summary = prices.record(label, undefined);
    if (settings.require) {
      return {
        inputs: news,
        failures: [
          {
            property: "",
            reason: this.describe(
              extra,
              `no price for the new order: ${quote.unavailable}. huaweicloud:requirePreviewPrice is true, so the ` +
                "preview fails rather than approve an order without its price. Nothing was ordered",
            ),
          },
        ],
      };
    }
    await Promise.all([
      this.checkLine(
        warnOperator(
          this.describe(
            extra,
            `no price for the new order: ${quote.unavailable}. The preview goes on without it ` +
              "(set huaweicloud:requirePreviewPrice to true to fail instead)",
          ),
        ),
      ),
      this.checkLine(tellOperator(summary)),
    ]);
    return { inputs: news };
  }

  async diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    this.holds(id, olds);
    const { order, extra } = split(news);
    // adoptOrderId, like the connection, is not part of the order: adding or removing it later is no change.
    const declared = olds[DECLARED_KEY];
    const changed = changedOrderFields(
      this.kind.inputs,
      { declared: isProps(declared) ? declared : undefined, effective: olds },
      order,
    );
    const pending = unknownOutcomeOf(olds);
    if (pending && changed.length === 0) {
      await warnOperator(
        this.describe(
          extra,
          `its order request sent at ${pending.sentAt} had an unknown outcome: \`up\` looks the order up ` +
            `through BSS first, and sends the request again only if BSS shows it was not placed`,
        ),
      );
      return { changes: true, replaces: [], deleteBeforeReplace: false };
    }
    if (pending) {
      // A replacement would place a new order while the pending request may have placed one.
      throw new Error(
        this.describe(
          extra,
          `${changed.join(", ")} changed, but the order request sent at ${pending.sentAt} had an unknown ` +
            `outcome and is not settled yet: undo the change and run \`pulumi up\` (it looks the order up ` +
            `through BSS), or set \`adoptOrderId\` to the order it placed. Nothing was ordered`,
        ),
      );
    }
    if (changed.length === 0) {
      const further = await this.followFurther(id, olds, extra);
      return further.changes ? further : this.destroyChange(olds, extra);
    }

    const idInput = this.kind.orderIdInput;
    if (idInput !== undefined && order[idInput] === olds[idInput] && !changed.includes(idInput)) {
      throw new Error(
        this.describe(
          extra,
          `${changed.join(", ")} changed, but ${idInput} is still ${String(order[idInput])}, an order this ` +
            `resource already submitted: a different order needs a different ${idInput}. Set ${idInput} to ` +
            `the new order's id, or undo the change to keep the order as it is. Nothing was ordered`,
        ),
      );
    }
    if (extra[ADOPT_KEY] === id) {
      // Left in place after the adoption, it would make the replacement adopt the old order again
      // instead of placing the new one the changed parameters call for.
      throw new Error(
        this.describe(
          extra,
          `adoptOrderId still names order ${id}, which this resource already holds; changing ` +
            `${changed.join(", ")} needs a new order: remove adoptOrderId. Nothing was ordered`,
        ),
      );
    }
    // An order cannot be edited: any change to what defines it is a new order.
    const note = this.replacementNote(olds, order);
    const old =
      recordedDestroy(olds).onDestroy === "unsubscribe"
        ? `unsubscribes order ${id} once the new one is created (onDestroy "unsubscribe", as recorded)`
        : `abandons order ${id}, which stays billed (${this.kind.unsubscribeHint})`;
    await this.newOrder(
      extra,
      `changing ${changed.join(", ")} replaces it: places a new paid order and ${old}${note ? ` ${note}` : ""}`,
    );
    return { changes: true, replaces: changed, deleteBeforeReplace: false };
  }

  async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    try {
      return await this.createOrder(inputs);
    } finally {
      // The lines checks left in flight (checkLine) reach the engine before this process may end.
      await delivered();
    }
  }

  private async createOrder(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    const { order, extra } = split(inputs);
    // The engine never calls create at preview (the Node dynamic-provider host declares no preview
    // support): from here on this process serves an update.
    this.prices?.markUpdate();
    const checked = checkInputs(this.kind.inputs, order);
    if (!checked.ok)
      throw new Error(
        this.describe(extra, checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")),
      );
    const adopt = extra[ADOPT_KEY];
    if (typeof adopt === "string") return this.adopt(adopt, order, checked.value as Props, extra);
    const client = this.client(extra);
    await this.guardDuplicates(client, checked.value as Props, extra);
    const accepted = await this.placeOrder(client, order, checked.value as Props, extra, undefined);
    // The order exists from here on: whatever stops the follow, the resource keeps it.
    const outs = await this.follow(
      client,
      accepted.id,
      checked.value as Props,
      extra,
      accepted.outs,
      NOT_FOLLOWED,
    );
    return { id: accepted.id, outs };
  }

  /**
   * Sends the order request once. When its outcome is unknown, the order is looked up through BSS
   * before anything is sent again (order-reconcile.ts): found, it is the resource's order; not
   * placed, the request is sent once more; several candidates, or BSS unable to answer, and the
   * resource is saved as pending reconcile (the engine's partial create), so that the next
   * \`pulumi up\` looks again instead of ordering blindly.
   */
  private async placeOrder(
    client: HuaweiCloudClient,
    declared: Props,
    parsed: Props,
    extra: Props,
    earlier: UnknownOutcome | undefined,
  ): Promise<{ id: string; outs: Props }> {
    try {
      // Only a path that carries the project needs its id first: a DIS order with a ready token needs none.
      const pathProject = this.kind.projectInPath ? await client.projectId() : "";
      const result = await this.ledger.sending(() =>
        client.call({
          service: this.kind.service,
          operation: this.kind.operation,
          method: "POST",
          path: this.kind.path(parsed, pathProject),
          body: toWire(this.kind.inputs, parsed),
          creates: true,
        }),
      );
      const orderId = this.kind.orderId(parsed, result.body);
      if (!orderId) {
        throw new Error(
          `the order request was accepted (HTTP ${result.status}, X-Request-Id ${result.requestId ?? "(none)"}, ` +
            `sent at ${result.sentAt.toISOString()}) but the answer carried no order id. An order may exist: ` +
            `find it in the Billing Center and adopt it with the input \`adoptOrderId\` before running again`,
        );
      }
      this.ledger.held.add(orderId);
      const outputs = this.orderOutputs(
        client,
        orderId,
        result.requestId ?? null,
        result.sentAt,
        pathProject,
      );
      return { id: orderId, outs: this.outputs(declared, parsed, outputs, extra) };
    } catch (err) {
      if (err instanceof OrderOutcomeUnknownError && this.kind.reconcile) {
        const unknown: UnknownOutcome = {
          sentAt: earlier?.sentAt ?? err.sentAt.toISOString(),
          requestId: err.metadata.requestId ?? null,
          cause: err.message,
        };
        await warnOperator(
          this.describe(
            extra,
            `the outcome of the order request sent at ${err.sentAt.toISOString()} is unknown ` +
              `(${describeFailure(err)}); looking it up through BSS before anything is sent again`,
          ),
        );
        return this.reconcile(client, declared, parsed, extra, unknown, earlier !== undefined);
      }
      if (this.kind.orderIdInput && err instanceof HuaweiCloudError && err.metadata.httpStatus === 400) {
        const explained = await this.explainRefusal(client, parsed, extra, err);
        if (explained) throw explained;
      }
      throw this.wrap(extra, err);
    }
  }

  /**
   * A refused request for an order whose id the program names (DIS): the id may already be an
   * order, placed by a run the engine lost (an interrupted create) or held by another resource.
   * BSS says whether it is, and the error says which order and how to take it; it is never taken
   * silently, since a provider cannot tell the two apart and two resources must not hold one
   * order. One BSS request, only after a refusal.
   */
  private async explainRefusal(
    client: HuaweiCloudClient,
    parsed: Props,
    extra: Props,
    refusal: HuaweiCloudError,
  ): Promise<Error | undefined> {
    const orderId = this.kind.orderId(parsed, undefined);
    if (!orderId) return undefined;
    let details: bss.OrderDetails;
    try {
      details = await bss.orderDetails(client, orderId);
    } catch {
      return undefined; // not an order BSS knows (or BSS cannot say): the refusal stands
    }
    const held = this.ledger.held.has(orderId) ? " Another resource of this run holds it." : "";
    const error = new Error(
      this.describe(
        extra,
        `${refusal.message}. BSS shows order ${orderId} already placed (created ` +
          `${details.createdAt?.toISOString() ?? "at an unknown time"}, status ${bss.describeOrderStatus(details.status)}).` +
          `${held} If it is this resource's order (an earlier \`pulumi up\` was interrupted while creating it: ` +
          `the engine warned of a pending create), set \`adoptOrderId: "${orderId}"\` and run \`pulumi up\`: ` +
          `the resource takes it and nothing is ordered. If another resource holds it, give this one another ` +
          `orderId. Nothing was ordered`,
      ),
    );
    error.name = refusal.name;
    return error;
  }

  /** Looks the order of an unknown outcome up through BSS (see placeOrder). */
  private async reconcile(
    client: HuaweiCloudClient,
    declared: Props,
    parsed: Props,
    extra: Props,
    unknown: UnknownOutcome,
    sentTwice: boolean,
  ): Promise<{ id: string; outs: Props }> {
    const reconcile = this.kind.reconcile as NonNullable<OrderKind["reconcile"]>;
    const knownId = this.kind.orderIdInput ? this.kind.orderId(parsed, undefined) : undefined;
    const label = this.describe(extra, "").replace(/: $/, "");
    const pendingId = knownId ?? `unknown-outcome-${unknown.sentAt.replace(/[^0-9]/g, "")}`;
    const pending = (message: string): Error => {
      const outputs = this.orderOutputs(client, pendingId, unknown.requestId, new Date(unknown.sentAt), "");
      return partialCreate(
        pendingId,
        {
          ...this.outputs(declared, parsed, outputs, extra),
          [UNKNOWN_OUTCOME_KEY]: unknown,
          __provider: extra["__provider"],
        },
        message,
      );
    };
    let found: Reconciled;
    try {
      const look = () =>
        reconcileOrder({
          client,
          label,
          sentAt: new Date(unknown.sentAt),
          ...(knownId ? { orderId: knownId } : {}),
          serviceTypeCode: reconcile.serviceTypeCode,
          otherServiceTypeCodes: Object.values(ORDER_KINDS as Record<string, OrderKind>)
            .filter((k) => k !== this.kind && k.reconcile)
            .map((k) => k.reconcile?.serviceTypeCode ?? ""),
          ...(reconcile.lines ? { lines: reconcile.lines(parsed) } : {}),
          held: this.ledger.held,
          settleMs: this.reconcileSeconds() * 1000,
          pollMs: this.pollSeconds() * 1000,
          progress: tellOperator,
        });
      // An order known by its id is nobody else's; a search by window runs one at a time (ledger).
      found = await (knownId ? look() : this.ledger.reconciling(look));
    } catch (err) {
      if (!(err instanceof ReconcileFailed)) throw err;
      throw pending(
        `${err.message}. Nothing was sent again. The resource is recorded as pending reconcile ` +
          `(the request sent at ${unknown.sentAt}): the next \`pulumi up\` looks the order up through BSS ` +
          `again before anything is sent, and never orders twice blindly. BSS needs the permission ` +
          `bss:order:view.`,
      );
    }
    if (found.kind === "found") {
      this.ledger.held.add(found.orderId);
      await warnOperator(
        `${label}: BSS shows order ${found.orderId} (created ${found.createdAt ?? "at an unknown time"}), ` +
          `matching ${found.compared}: this resource adopts it as the order its request placed; nothing ` +
          `was sent again`,
      );
      const outputs = this.orderOutputs(
        client,
        found.orderId,
        unknown.requestId,
        new Date(unknown.sentAt),
        "",
      );
      return { id: found.orderId, outs: this.outputs(declared, parsed, outputs, extra) };
    }
    if (found.kind === "ambiguous") {
      throw pending(
        `${label}: the outcome of the order request sent at ${unknown.sentAt} is unknown, and BSS shows ` +
          `${found.candidates.length} orders that match it: ${found.candidates.map(describeCandidate).join("; ")}. ` +
          `Nothing was sent. Find the one this resource placed (Billing Center > Orders > My Orders) and set ` +
          `\`adoptOrderId\` to it, then run \`pulumi up\`; the resource is recorded as pending reconcile ` +
          `until then, and no order is placed for it`,
      );
    }
    if (sentTwice) {
      throw new Error(
        `${label}: BSS shows no ${found.lookedFor} after the order request was sent twice with an unknown ` +
          `outcome: nothing was ordered. Check the network and the endpoints, then run \`pulumi up\` again`,
      );
    }
    await tellOperator(
      `${label}: BSS shows no ${found.lookedFor}, ${this.reconcileSeconds()} s after the request was sent: ` +
        `it was not placed; sending the order request again (once)`,
    );
    return this.placeOrder(client, declared, parsed, extra, unknown);
  }

  private orderOutputs(
    client: HuaweiCloudClient,
    orderId: string,
    requestId: string | null,
    sentAt: Date | null,
    pathProject: string,
  ): OrderOutputs {
    return {
      orderId,
      requestId,
      submittedAt: sentAt?.toISOString() ?? null,
      region: client.settings.region,
      projectId: pathProject || (client.knownProjectId() ?? null),
      adopted: false,
    };
  }

  /**
   * Resumes following the order where a create (or an earlier update) stopped: the engine sends
   * here a resource saved with initialization errors, and one whose \`waitUntil\` now asks for more
   * (diff). Every other change to an order replaces it, so nothing else arrives here.
   */
  async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    this.holds(id, olds);
    const { order, extra } = split(news);
    const checked = checkInputs(this.kind.inputs, order);
    if (!checked.ok)
      throw new Error(
        this.describe(extra, checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")),
      );
    const pending = unknownOutcomeOf(olds);
    if (pending) {
      const placed = await this.settlePending(id, olds, order, checked.value as Props, extra, pending);
      const client = this.client(extra);
      return {
        outs: await this.follow(client, placed.id, checked.value as Props, extra, placed.outs, NOT_FOLLOWED),
      };
    }
    const recorded = recordedFollow(olds);
    const outs: Props = {
      ...olds,
      [RESOURCE_NAME_KEY]: extra[RESOURCE_NAME_KEY],
      ...this.destroySettings(extra),
    };
    const { wanted } = this.followPlan(extra, checked.value as Props);
    // A cancelled order is read again (and refused again): it never counts as followed.
    const cancelled = recorded.orderStatus === bss.ORDER_STATUS.cancelled;
    if (!isBefore(recorded.orderStage, wanted) && !cancelled) return { outs: withSubscription(outs) };
    // A resource settled after a pending reconcile keeps its first id; its order is in orderId.
    const orderId = typeof olds["orderId"] === "string" ? olds["orderId"] : id;
    return {
      outs: await this.follow(this.client(extra), orderId, checked.value as Props, extra, outs, recorded),
    };
  }

  /**
   * A resource saved as pending reconcile (its order request's outcome unknown, and BSS could not
   * settle it): \`adoptOrderId\` names its order, or BSS is asked again; only an order BSS shows
   * was not placed is sent again.
   */
  private async settlePending(
    id: string,
    olds: Props,
    declared: Props,
    parsed: Props,
    extra: Props,
    unknown: UnknownOutcome,
  ): Promise<{ id: string; outs: Props }> {
    const adopt = extra[ADOPT_KEY];
    if (typeof adopt === "string") {
      this.ledger.held.add(adopt);
      await warnOperator(
        this.describe(
          extra,
          `adopts order ${adopt} for the order request sent at ${unknown.sentAt}; nothing is sent`,
        ),
      );
      const adopted = this.adopt(adopt, declared, parsed, extra);
      return { id: adopt, outs: { ...(adopted.outs as Props), submittedAt: unknown.sentAt } };
    }
    try {
      return await this.reconcile(this.client(extra), declared, parsed, extra, unknown, false);
    } catch (err) {
      // Still pending: the resource keeps its id (an update cannot change it).
      const e = err as { id?: unknown; properties?: Props };
      if (e.id !== undefined && e.properties !== undefined) {
        throw partialCreate(id, { ...olds, ...e.properties }, (err as Error).message);
      }
      throw err;
    }
  }

  /**
   * Follows order \`id\` as far as the resource asks, and returns \`outs\` with what was learnt.
   * Anything that stops it throws the engine's partial-create error: the resource is saved with
   * the order and initialization errors, and the next \`pulumi up\` sends it to update.
   */
  private async follow(
    client: HuaweiCloudClient,
    id: string,
    parsed: Props,
    extra: Props,
    outs: Props,
    recorded: FollowOutputs,
  ): Promise<Props> {
    const plan = this.followPlan(extra, parsed);
    const label = this.describe(extra, "").replace(/: $/, "");
    if (plan.wanted === "submitted") {
      if (!plan.paysItself) {
        await tellOperator(
          `${label}: order ${id} submitted and not followed (waitUntil "submitted"); it waits for payment. ${this.kind.payHint}`,
        );
      }
      return withSubscription({ ...outs, ...recorded });
    }
    try {
      const followed = await followOrder({
        client,
        orderId: id,
        label,
        wanted: plan.wanted,
        payThroughBss: plan.settings.autoPay,
        paysItself: plan.paysItself,
        payHint: this.kind.payHint,
        timeoutMs: plan.settings.waitTimeoutSeconds * 1000,
        pollMs: this.pollSeconds() * 1000,
        recorded,
        progress: tellOperator,
      });
      return withSubscription({ ...outs, ...followed });
    } catch (err) {
      const stopped = err instanceof FollowStopped ? err : undefined;
      const message = stopped
        ? stopped.message
        : this.describe(
            extra,
            `following order ${id} failed: ${err instanceof Error ? err.message : String(err)}`,
          );
      throw partialCreate(
        id,
        withSubscription({ ...outs, ...(stopped?.outputs ?? recorded), __provider: extra["__provider"] }),
        message,
      );
    }
  }

  /** How far to follow: the declared waitUntil, else "provisioned" for an order paid automatically. */
  private followPlan(
    extra: Props,
    parsed: Props,
  ): { wanted: Stage; settings: FollowSettings; paysItself: boolean } {
    const parsedFollow = followInputs.safeParse(pickFollow(extra));
    const settings = parsedFollow.success ? parsedFollow.data : followInputs.parse({});
    const paysItself = this.kind.paysItself?.(parsed) ?? false;
    const wanted = settings.waitUntil ?? (paysItself || settings.autoPay ? "provisioned" : "submitted");
    return { wanted, settings, paysItself };
  }

  private reconcileSeconds(): number {
    return typeof this.reconcileWait === "number" ? this.reconcileWait : DEFAULT_RECONCILE_SECONDS;
  }

  private pollSeconds(): number {
    return typeof this.pollInterval === "number" ? this.pollInterval : DEFAULT_POLL_INTERVAL_SECONDS;
  }

  /** The follow inputs' problems, named at preview. */
  /**
   * The orders of the stack's resources, as the engine shows them to diff, update, read and delete:
   * never taken for a duplicate (or a reconcile's candidate) of another resource's order.
   */
  private holds(id: string, props: Props): void {
    this.ledger.shown();
    if (!unknownOutcomeOf(props)) this.ledger.held.add(orderIdOf(id, props));
  }

  /** allowRecentIdenticalOrder: a boolean, for kinds whose order id comes from the answer only. */
  private checkDuplicateGuard(extra: Props): pulumi.dynamic.CheckFailure[] {
    const value = extra[ALLOW_IDENTICAL_KEY];
    if (value === undefined || value === UNKNOWN) return [];
    if (!this.kind.reconcile?.lines) {
      return [
        {
          property: ALLOW_IDENTICAL_KEY,
          reason:
            `is not a field of ${this.kind.name}: its order is named by ${this.kind.orderIdInput ?? "its id"}, ` +
            "and an order id is never accepted twice",
        },
      ];
    }
    const result = checkInputs(duplicateGuardInputs, { [ALLOW_IDENTICAL_KEY]: value });
    return result.ok ? [] : result.failures.map(toPulumiFailure);
  }

  /** The guard's window in minutes; 0 when this resource or kind has none. */
  private guardWindow(extra: Props): number {
    if (!this.kind.reconcile?.lines || extra[ALLOW_IDENTICAL_KEY] === true) return 0;
    return typeof this.duplicateWindow === "number" ? this.duplicateWindow : DEFAULT_DUPLICATE_WINDOW_MINUTES;
  }

  /**
   * Before an order whose id only its answer gives (MetaStudio) is placed: the account's recent
   * orders with the same line items that no resource of this update holds (duplicate-guard.ts).
   */
  private async identicalOrders(
    client: HuaweiCloudClient,
    parsed: Props,
    windowMinutes: number,
    settle: boolean,
  ): Promise<IdenticalOrder[]> {
    const reconcile = this.kind.reconcile as NonNullable<OrderKind["reconcile"]>;
    const lines = reconcile.lines?.(parsed) ?? [];
    const look = () =>
      this.recent.identical({
        client,
        account: [client.settings.endpoints.bss, client.settings.domainId, client.settings.credentials],
        serviceTypeCode: reconcile.serviceTypeCode,
        lines,
        windowMinutes,
        held: this.ledger.held,
      });
    const found = await look();
    if (found.length === 0 || !settle) return found;
    // One of the stack's resources the program declares after this one may hold it: the engine
    // shows it to diff while this create runs. Looked at again (from what was read) once it has.
    await this.ledger.quiet(DECLARED_TOGETHER_MS, 10 * DECLARED_TOGETHER_MS);
    return look();
  }

  /** What the guard found, and what the operator does about it. */
  private duplicateFinding(found: IdenticalOrder[], holder: string, windowMinutes: number): string {
    const first = (found[0] as IdenticalOrder).orderId;
    return (
      `BSS shows ${found.length === 1 ? "a recent order" : `${found.length} recent orders`} with the same line items ` +
      `that ${holder}: ${found.map((c) => `${describeCandidate(c)}, matching ${c.compared}`).join("; ")}. ` +
      `A \`pulumi up\` killed while creating this resource places such an order and leaves the engine only a pending ` +
      `create ("interrupted while creating"): if it is this resource's, set \`adoptOrderId: "${first}"\` and run ` +
      `\`pulumi up\`; the resource takes it and nothing is ordered. If it belongs elsewhere (another stack, the console) ` +
      `and this resource is to buy one more, set \`${ALLOW_IDENTICAL_KEY}: true\`. Looked at new orders of the last ` +
      `${windowMinutes} minutes (huaweicloud:duplicateOrderWindowMinutes)`
    );
  }

  /**
   * At check (preview, and \`up\` before create): a recent identical order is told as a warning, so a
   * preview shows it before anything is bought. Check cannot decide: the engine checks one
   * resource at a time, in the order the program declares them, so a resource declared after this
   * one, which may hold the order, has not been shown yet; create decides (guardDuplicates).
   */
  private async previewDuplicates(extra: Props, parsed: Props | undefined): Promise<void> {
    const windowMinutes = this.guardWindow(extra);
    if (windowMinutes === 0 || !parsed || containsUnknown(parsed) || containsUnknown(extra[CONNECTION_KEY])) {
      return;
    }
    let client: HuaweiCloudClient;
    try {
      client = new HuaweiCloudClient(this.settings(extra), { limiter: this.limiter });
    } catch {
      return; // no credentials at preview: create looks
    }
    try {
      const found = await this.identicalOrders(client, parsed, windowMinutes, false);
      if (found.length === 0) return;
      await this.checkLine(
        warnOperator(
          this.describe(
            extra,
            `${this.duplicateFinding(found, "no resource of the stack shown so far holds", windowMinutes)}. Unless a ` +
              "resource declared after this one holds it, `pulumi up` stops this create before its order is sent",
          ),
        ),
      );
    } catch (err) {
      await this.checkLine(
        warnOperator(
          this.describe(
            extra,
            `could not look for a recent identical order through BSS (${message(err)}); ` +
              "create looks again before ordering, and orders nothing without an answer",
          ),
        ),
      );
    }
  }

  /** At create: a recent identical order, or no answer from BSS, stops it before the order is sent. */
  private async guardDuplicates(client: HuaweiCloudClient, parsed: Props, extra: Props): Promise<void> {
    const windowMinutes = this.guardWindow(extra);
    if (windowMinutes === 0) return;
    let found: IdenticalOrder[];
    try {
      found = await this.identicalOrders(client, parsed, windowMinutes, true);
    } catch (err) {
      throw new Error(
        this.describe(
          extra,
          `could not look for a recent identical order through BSS before ordering: ${message(err)}. ` +
            `Nothing was ordered. The look needs the permission bss:order:view; to order without it, set ` +
            `\`${ALLOW_IDENTICAL_KEY}: true\` or huaweicloud:duplicateOrderWindowMinutes to 0`,
        ),
      );
    }
    if (found.length > 0) {
      throw new Error(
        this.describe(
          extra,
          `${this.duplicateFinding(found, "no resource of this update holds", windowMinutes)}. Nothing was ordered`,
        ),
      );
    }
  }

  private checkFollow(extra: Props): pulumi.dynamic.CheckFailure[] {
    const picked = pickFollow(extra);
    const result = checkInputs(followInputs, picked);
    const failures = result.ok ? [] : result.failures.map(toPulumiFailure);
    const autoPay = picked[AUTO_PAY_KEY];
    if (this.kind.paysItself && autoPay !== undefined) {
      failures.push({
        property: AUTO_PAY_KEY,
        reason: `is not a field of ${this.kind.name}: its order is paid automatically when every cloudServices item has isAutoPay: true`,
      });
    } else if (autoPay === true && picked[WAIT_UNTIL_KEY] === "submitted") {
      failures.push({
        property: AUTO_PAY_KEY,
        reason: `autoPay pays the order while create follows it: it needs waitUntil "paid" or "provisioned", not "submitted"`,
      });
    }
    return failures;
  }

  /**
   * No change to the order, but a declared waitUntil beyond what the order is known to have
   * reached: an update follows it further (never a new order).
   */
  private async followFurther(id: string, olds: Props, extra: Props): Promise<pulumi.dynamic.DiffResult> {
    const wanted = extra[WAIT_UNTIL_KEY];
    const reached = recordedFollow(olds).orderStage;
    if (
      typeof wanted !== "string" ||
      !STAGES.includes(wanted as Stage) ||
      !isBefore(reached, wanted as Stage)
    ) {
      return { changes: false, replaces: [], deleteBeforeReplace: false };
    }
    const pays = extra[AUTO_PAY_KEY] === true && recordedFollow(olds).paymentSentAt === null;
    const what = `follows order ${id} from "${reached}" to "${wanted}"; no new order is placed`;
    if (pays)
      await warnOperator(
        this.describe(extra, `${what}, and pays it through BSS if it waits for payment (autoPay)`),
      );
    else await tellOperator(this.describe(extra, what));
    return { changes: true, replaces: [], deleteBeforeReplace: false };
  }

  /**
   * Refresh: reads the order's truth through BSS (status, payment, resources, expiry, and what
   * became of its subscription outside Pulumi). It never drops the order from the stack: a gone,
   * expired or frozen subscription is kept and marked (subscriptionStatus), with a warning saying
   * what to do; when BSS cannot be read (no permission, errors after the retries), the state is
   * kept as it was, with a warning naming the cause. It only reads: nothing is bought, paid or
   * unsubscribed.
   */
  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    this.holds(id, props);
    const label = this.describe(props, "").replace(/: $/, "");
    const pending = unknownOutcomeOf(props);
    if (pending) {
      // No order to read yet: `up` settles it (reconcile) before anything else.
      await warnOperator(
        `${label}: its order request sent at ${pending.sentAt} had an unknown outcome and is not settled yet; ` +
          `refresh keeps it as it is. Run \`pulumi up\`: it looks the order up through BSS before anything is sent`,
      );
      return { id, props };
    }
    const orderId = orderIdOf(id, props);
    const kept = async (why: string) => {
      const recorded = props["subscriptionCheckedAt"];
      await warnOperator(
        `${label}: refresh could not read order ${orderId} through BSS: ${why}. The resource is kept as last recorded ` +
          `(subscriptionStatus "${String(props["subscriptionStatus"] ?? "unknown")}", last read ` +
          `${typeof recorded === "string" ? recorded : "never"}); nothing was bought, paid or unsubscribed. ` +
          `Fix the cause (a 403 names the permission the credentials need) and run \`pulumi refresh\` again`,
      );
      return { id, props };
    };
    let client: HuaweiCloudClient;
    try {
      client = new HuaweiCloudClient(this.settings(props));
    } catch (err) {
      return kept(`no usable settings (${message(err)})`);
    }
    try {
      const { outputs, finding } = await refreshOrder({
        client,
        orderId,
        recorded: recordedFollow(props),
      });
      if (finding) await warnOperator(`${label}: ${finding}`);
      return { id, props: { ...props, ...outputs } };
    } catch (err) {
      return kept(message(err));
    }
  }

  /**
   * Destroy (and the old order of a replacement) does what the recorded onDestroy says: "keep"
   * forgets the order and says how to unsubscribe it; "unsubscribe" unsubscribes its resources
   * through BSS and waits until they are gone. Anything that stops it fails the destroy: the
   * resource stays in the stack.
   */
  async delete(id: string, props: Props): Promise<void> {
    this.holds(id, props);
    const settings = recordedDestroy(props);
    const pending = unknownOutcomeOf(props);
    if (pending) return this.deletePending(props, pending, settings.onDestroy);
    // A resource settled after a pending reconcile keeps its first id; its order is in orderId.
    const orderId = orderIdOf(id, props);
    if (settings.onDestroy === "unsubscribe")
      return this.unsubscribe(orderId, props, settings.waitTimeoutSeconds);
    const placed =
      typeof props["submittedAt"] === "string"
        ? `placed ${props["submittedAt"]}`
        : "adopted, not placed by this stack";
    const requestId = typeof props["requestId"] === "string" ? `, X-Request-Id ${props["requestId"]}` : "";
    await warnOperator(
      `${this.describe(props, "")}order ${orderId} (${placed}${requestId}) was removed from the stack, but the order ` +
        `still exists in Huawei Cloud and is still billed as ordered: there is no API to cancel it. ` +
        this.kind.unsubscribeHint +
        (this.oneOffItems(props).length === 0
          ? ` (The input onDestroy: "unsubscribe" does this on destroy.)`
          : ""),
    );
  }

  /**
   * A resource whose order request had an unknown outcome and was never settled: no order is known
   * to unsubscribe. "keep" forgets it and says an order may exist; "unsubscribe" refuses, since
   * nothing could be unsubscribed.
   */
  private async deletePending(props: Props, pending: UnknownOutcome, onDestroy: string): Promise<void> {
    const label = this.describe(props, "").replace(/: $/, "");
    const what =
      `its order request sent at ${pending.sentAt} (X-Request-Id ${pending.requestId ?? "(none received)"}) ` +
      `had an unknown outcome that was never settled, so an order may exist`;
    if (onDestroy === "unsubscribe") {
      throw new Error(
        `${label}: ${what}, and none is known to unsubscribe; nothing was sent. Run \`pulumi up\` first (it looks ` +
          `the order up through BSS), or set onDestroy "keep" to forget it. The resource stays in the stack`,
      );
    }
    await warnOperator(
      `${label} was removed from the stack: ${what}. Look in the Billing Center for an order placed at that time; ` +
        this.kind.unsubscribeHint,
    );
  }

  private async unsubscribe(id: string, props: Props, timeoutSeconds: number): Promise<void> {
    const label = this.describe(props, "").replace(/: $/, "");
    const oneOff = this.oneOffItems(props);
    if (oneOff.length > 0) {
      throw new Error(
        `${label}: order ${id} holds one-off items (${oneOff.join(", ")} is 6), which cannot be unsubscribed; ` +
          `nothing was sent. Set onDestroy "keep" (and run \`pulumi up\`) to remove it from the stack without unsubscribing`,
      );
    }
    let client: HuaweiCloudClient;
    try {
      client = new HuaweiCloudClient(this.settings(props));
    } catch (err) {
      throw new Error(
        `${label}: order ${id} was not unsubscribed: ${message(err)}. The resource stays in the stack`,
      );
    }
    try {
      await unsubscribeOrder({
        client,
        orderId: id,
        label,
        timeoutMs: timeoutSeconds * 1000,
        pollMs: this.pollSeconds() * 1000,
        progress: tellOperator,
        sentByThisRun: unsubscriptionsSent,
      });
    } catch (err) {
      const text = message(err);
      const kept = /The resource stays in the stack/.test(text) ? "" : `. Order ${id} stays in the stack`;
      throw new Error(`${label}: ${text}${kept}`);
    }
  }

  /** The property paths of the declared one-off items, which BSS cannot unsubscribe. */
  private oneOffItems(props: Props): string[] {
    if (!this.kind.oneOffItems) return [];
    const declared = props[DECLARED_KEY];
    const parsed = this.kind.inputs.safeParse(
      isProps(declared)
        ? declared
        : Object.fromEntries(fieldNames(this.kind.inputs).map((k) => [k, props[k]])),
    );
    return parsed.success ? this.kind.oneOffItems(parsed.data) : [];
  }

  /** onDestroy's problems, named at preview: a bad value, or "unsubscribe" of a one-off purchase. */
  private checkDestroy(extra: Props, parsed: Props | undefined): pulumi.dynamic.CheckFailure[] {
    const value = extra[ON_DESTROY_KEY];
    if (value === undefined || value === UNKNOWN) return [];
    const result = checkInputs(destroyInputs, { [ON_DESTROY_KEY]: value });
    if (!result.ok) return result.failures.map(toPulumiFailure);
    const oneOff =
      value === "unsubscribe" && parsed && this.kind.oneOffItems ? this.kind.oneOffItems(parsed) : [];
    return oneOff.length === 0
      ? []
      : [
          {
            property: ON_DESTROY_KEY,
            reason:
              `a one-off purchase cannot be unsubscribed (${oneOff.join(", ")} is 6, one-off): set onDestroy "keep", ` +
              `or declare the one-off items in a ${this.kind.name} of their own`,
          },
        ];
  }

  /** What destroy will do, as create and update record it (destroy sees only the recorded outputs). */
  private destroySettings(extra: Props): DestroySettings {
    const onDestroy = destroyInputs.safeParse({ [ON_DESTROY_KEY]: extra[ON_DESTROY_KEY] });
    const follow = followInputs.safeParse(pickFollow(extra));
    return {
      onDestroy: onDestroy.success ? onDestroy.data.onDestroy : "keep",
      waitTimeoutSeconds: (follow.success ? follow.data : followInputs.parse({})).waitTimeoutSeconds,
    };
  }

  /**
   * Changing only onDestroy (or, with "unsubscribe", the timeout destroy waits) is an update that
   * records it: no order is placed and nothing is sent.
   */
  private async destroyChange(olds: Props, extra: Props): Promise<pulumi.dynamic.DiffResult> {
    const before = recordedDestroy(olds);
    const after = this.destroySettings(extra);
    const changed =
      before.onDestroy !== after.onDestroy ||
      (after.onDestroy === "unsubscribe" && before.waitTimeoutSeconds !== after.waitTimeoutSeconds);
    if (!changed || extra[ON_DESTROY_KEY] === UNKNOWN) {
      return { changes: false, replaces: [], deleteBeforeReplace: false };
    }
    await tellOperator(
      this.describe(
        extra,
        `destroy will ${after.onDestroy === "unsubscribe" ? `unsubscribe order ${String(olds["orderId"])} (waiting up to ${after.waitTimeoutSeconds} s)` : "keep the order"}; ` +
          `recorded by an update that places no order and sends nothing`,
      ),
    );
    return { changes: true, replaces: [], deleteBeforeReplace: false };
  }

  /**
   * Records an order that already exists (placed outside Pulumi, or by a run whose outcome was
   * unknown) with the program's parameters, and sends nothing.
   */
  private adopt(orderId: string, declared: Props, parsed: Props, extra: Props): pulumi.dynamic.CreateResult {
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
    return { id: orderId, outs: this.outputs(declared, parsed, outputs, extra) };
  }

  /** The effective parameters, the order's identity, and what the program declared (for diff). */
  private outputs(declared: Props, parsed: Props, outputs: OrderOutputs, extra: Props): Props {
    return {
      ...parsed,
      ...outputs,
      ...NOT_FOLLOWED,
      ...UNREAD,
      ...this.destroySettings(extra),
      [UNKNOWN_OUTCOME_KEY]: null,
      [RESOURCE_NAME_KEY]: extra[RESOURCE_NAME_KEY],
      [DECLARED_KEY]: declared,
    };
  }

  /**
   * Counts a new order against the update's budget and tells the operator what it buys: throws at
   * once when the order is over the budget (before anything else of the check is sent).
   */
  private newOrder(extra: Props, what: string): Promise<void> {
    const label = `${this.kind.name} '${String(extra[RESOURCE_NAME_KEY] ?? "?")}'`;
    const { first, refusal } = this.budget.count(label, label, this.limit());
    if (refusal) throw new Error(this.describe(extra, refusal));
    if (!first) return Promise.resolve(); // already announced: the check the engine repeats for a replacement
    return this.checkLine(warnOperator(this.describe(extra, what)));
  }

  /**
   * A line of check, or of diff for a replacement: what waits for its delivery. The engine checks
   * one resource at a time, so a check that waits makes every resource after it wait. In an
   * update, each resource checked as a new order is created next, in this same process, and
   * create waits for every line still in flight: check does not. At a preview nothing follows the
   * last check (the engine ends this process without notice), so there check waits.
   */
  private checkLine(line: Promise<void>): Promise<void> {
    if (!this.prices?.servesUpdate) return line;
    sendUnawaited(line);
    return Promise.resolve();
  }

  private limit(): number | undefined {
    return typeof this.maxNewOrders === "number" ? this.maxNewOrders : undefined;
  }

  private replacementNote(olds: Props, declared: Props): string | undefined {
    if (!this.kind.replacementNote) return undefined;
    const recorded = olds[DECLARED_KEY];
    const before = this.kind.inputs.safeParse(
      isProps(recorded)
        ? recorded
        : Object.fromEntries(fieldNames(this.kind.inputs).map((k) => [k, olds[k]])),
    );
    const after = this.kind.inputs.safeParse(declared);
    return before.success && after.success ? this.kind.replacementNote(before.data, after.data) : undefined;
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
        changedOrderFields(this.kind.inputs, { declared: held, effective: held }, order).length > 0);
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
      // One limiter for every client of the process: resources share the API's rate limit.
      return new HuaweiCloudClient(this.settings(extra), { limiter: this.limiter });
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

/** What destroy does, as a resource records it (outputs); "keep" for resources recorded before onDestroy. */
interface DestroySettings {
  onDestroy: OnDestroy;
  waitTimeoutSeconds: number;
}

function recordedDestroy(props: Props): DestroySettings {
  const onDestroy = destroyInputs.safeParse({ [ON_DESTROY_KEY]: props[ON_DESTROY_KEY] });
  const timeout = props[WAIT_TIMEOUT_KEY];
  return {
    onDestroy: onDestroy.success ? onDestroy.data.onDestroy : "keep",
    waitTimeoutSeconds:
      typeof timeout === "number" && timeout > 0 ? timeout : followInputs.parse({}).waitTimeoutSeconds,
  };
}

const UNREAD: SubscriptionOutputs = { subscriptionStatus: "unknown", subscriptionCheckedAt: null };

/** Props with subscriptionStatus derived from the follow outputs they record. */
function withSubscription(props: Props): Props {
  const checked = props["subscriptionCheckedAt"];
  return {
    ...props,
    subscriptionStatus: subscriptionOf(recordedFollow(props)),
    subscriptionCheckedAt: typeof checked === "string" ? checked : null,
  };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
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

/**
 * The output that marks a resource saved as pending reconcile: its order request's outcome is
 * unknown and BSS could not settle it (null otherwise).
 */
export const UNKNOWN_OUTCOME_KEY = "unknownOutcome";

interface UnknownOutcome {
  /** When the (first) request was sent: the search window's anchor. */
  sentAt: string;
  requestId: string | null;
  cause: string;
}

/** The order a resource holds: its id, unless it was settled after a pending reconcile (orderId). */
function orderIdOf(id: string, props: Props): string {
  const recorded = props["orderId"];
  return typeof recorded === "string" && recorded !== "" ? recorded : id;
}

function unknownOutcomeOf(olds: Props): UnknownOutcome | undefined {
  const u = olds[UNKNOWN_OUTCOME_KEY];
  return isProps(u) && typeof u["sentAt"] === "string" ? (u as unknown as UnknownOutcome) : undefined;
}

/** "HTTP 502, X-Request-Id ..." or the transport failure, for one line. */
function describeFailure(err: HuaweiCloudError): string {
  const m = err.metadata;
  const parts = [
    m.httpStatus !== undefined ? `HTTP ${m.httpStatus}` : "no answer",
    ...(m.errorCode ? [`error_code ${m.errorCode}`] : []),
    `X-Request-Id ${m.requestId ?? "(none received)"}`,
  ];
  return parts.join(", ");
}

function pickFollow(extra: Props): Props {
  return Object.fromEntries(FOLLOW_KEYS.filter((k) => extra[k] !== undefined).map((k) => [k, extra[k]]));
}

/**
 * The error Pulumi's dynamic-provider host turns into ErrorResourceInitFailed (\`id\` and
 * \`properties\` set, see @pulumi/pulumi cmd/dynamic-provider grpcResponseFromError): the engine
 * saves the resource with these outputs and the message as its initialization error.
 */
function partialCreate(id: string, properties: Props, message: string): Error {
  return Object.assign(new Error(message), { id, properties, reasons: [message] });
}

function isProps(v: unknown): v is Props {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function toPulumiFailure(f: CheckFailure): pulumi.dynamic.CheckFailure {
  return { property: f.property, reason: f.reason };
}

const providers = new Map<OrderKindName, OrderProvider>();
/** One budget for every kind: the update's new orders are counted together. */
const processBudget = new OrderBudget();
/** One ledger for every kind: the orders this run's resources hold. */
const processLedger = new OrderLedger();
/** One price tally for every kind: the update's total covers them all. */
const processPrices = new PriceTally();
/** What this run read of the account's recent orders, for every kind. */
const processRecentOrders = new RecentOrders();
/** The unsubscription orders this run sent, for every kind. */
const unsubscriptionsSent = new Set<string>(); // Moves into the run context

/** The provider for an order resource type; one per process, so configure happens once. */
export function orderProvider(name: OrderKindName): OrderProvider {
  let provider = providers.get(name);
  if (!provider) {
    provider = new OrderProvider(
      ORDER_KINDS[name],
      processBudget,
      processLedger,
      processPrices,
      processRecentOrders,
    );
    providers.set(name, provider);
  }
  return provider;
}
