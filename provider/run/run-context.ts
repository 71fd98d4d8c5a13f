// Everything one engine run shares, in one object: whether it previews or updates, the run's
// settings, the rate limiter every request paces by, the operator's log, the budget of new
// orders, the ledger of orders the run's resources hold, the prices quoted, what was read of the
// account's recent orders, and the clock. The engine's dynamic-provider process serves one run
// (preview, up, refresh or destroy), so the process holds one (provider/lifecycle/registry.ts);
// a test builds its own.
import {
  AdaptiveRateLimiter,
  checkSettings,
  ClientRuntime,
  HuaweiCloudClient,
  metastudioAgreements,
  resolveSettings,
  type ClientOptions,
  type ClientSettings,
  type ClientSettingsInput,
  type SettingNeeds,
  type SettingProblem,
  type SettingSources,
} from "../client";
import { RecentOrders } from "../billing/recent-orders";
import { ServiceTypeCodes } from "../billing/service-types";
import { ORDER_KINDS } from "../orders";
import { readCheckpoint, type CheckpointRead, type CheckpointSource } from "./checkpoint";
import { OrderLedger } from "./order-ledger";
import { PriceTally } from "./price-tally";
import {
  parseRunSettings,
  parseServiceTypeCodes,
  SERVICE_TYPE_CODES_KEY,
  type ParsedRunSettings,
} from "../contract/run-settings";
import { reviewStackConfig, type StackConfig } from "./stack-config";
import { EngineLog } from "./engine-log";
import { OrderBudget } from "./order-budget";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export interface RunOptions {
  /**
   * Quote each new order's price at check. The engine's process does; a provider built outside it
   * (a unit test) asks no price unless it passes a tally of its own.
   */
  prices?: PriceTally;
  limiter?: AdaptiveRateLimiter;
  log?: EngineLog;
  clock?: Clock;
  env?: () => Readonly<Record<string, string | undefined>>;
  /** How the stack's checkpoint is read (a test passes its own); default: the Pulumi CLI. */
  readCheckpoint?: (source: CheckpointSource) => Promise<CheckpointRead>;
}

/**
 * What one engine run (preview, up, refresh or destroy) shares across its resources: settings,
 * rate limiter, log, order budget and ledger, prices and clock. The provider entry serves one per
 * process; a test or an embedding host passes its own to OrderProvider.
 */
export class RunContext {
  /** The engine asked this run to create an order: it serves an update, never a preview. */
  private updating = false;
  private config: ((key: string) => string | undefined) | undefined;
  private parsed: ParsedRunSettings = parseRunSettings(() => undefined);
  private configProblems: readonly string[] = [];
  private serviceTypeCodes: Readonly<Record<string, string>> = {};
  /** Warnings said once per run, however many resources or providers would say them. */
  private readonly warned = new Set<string>();

  /** The rate limiter every request of the run paces by. */
  readonly limiter: AdaptiveRateLimiter;
  /** What every client of the run shares: the limiter, IAM tokens and account ids, connections. */
  readonly clientRuntime: ClientRuntime;
  /** The operator's log: the lines the engine shows for the run's resources. */
  readonly log: EngineLog;
  /** The run's time and waits (a test passes one it controls). */
  readonly clock: Clock;
  /** The new orders this run may still place (`maxNewOrders`). */
  readonly budget = new OrderBudget();
  /** The orders the run's resources hold, by resource. */
  readonly ledger: OrderLedger;
  /** What was read of the account's recent orders (the duplicate guard's look), once per run. */
  readonly recent: RecentOrders;
  /** Each order kind's BSS service type code: configured, else BSS's list (asked once), else built in. */
  readonly serviceTypes: ServiceTypeCodes;
  /** The prices quoted at check, for the preview's total; unset where no price is asked. */
  readonly prices: PriceTally | undefined;
  /**
   * Agreements this run signed (steps/auto-pay-agreement.ts), by endpoint, project and type: the
   * signature under way (shared by parallel creates) or done (any 2xx answer).
   */
  readonly agreements = {
    /** Signatures under way, shared by the creates that need the same one. */
    signing: new Map<string, Promise<metastudioAgreements.SignedAgreement>>(),
    /** Signatures done (any 2xx answer). */
    signed: new Set<string>(),
  };
  /** Unsubscription orders this run sent: parallel destroys never wait for one another's. */
  readonly unsubscriptionsSent = new Set<string>();
  private readonly env: () => Readonly<Record<string, string | undefined>>;
  /** When this process began serving the run: a pending create marked before it is an earlier run's. */
  readonly startedAt: number;
  /** The stack the program runs in ("organization/project/stack"), as its sdk said at check. */
  stack: string | undefined;
  /**
   * Which host serves the run: Pulumi's dynamic-provider host (the Node resources), or this
   * package's provider plugin (provider/plugin), which sets it.
   */
  host: "dynamic" | "plugin" = "dynamic";
  private readonly checkpointReader: (source: CheckpointSource) => Promise<CheckpointRead>;
  private checkpointRead: Promise<CheckpointRead> | undefined;
  private settingsMemo:
    | {
        env: object;
        config: unknown;
        results: Map<string, ClientSettings | Error | readonly SettingProblem[]>;
      }
    | undefined;

  constructor(options: RunOptions = {}) {
    this.limiter = options.limiter ?? new AdaptiveRateLimiter();
    this.clientRuntime = new ClientRuntime({ limiter: this.limiter });
    this.log = options.log ?? new EngineLog();
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.prices = options.prices;
    this.env = options.env ?? (() => process.env);
    this.startedAt = this.clock.now();
    this.ledger = new OrderLedger(this.clock);
    this.recent = new RecentOrders(this.startedAt);
    this.checkpointReader = options.readCheckpoint ?? readCheckpoint;
    this.serviceTypes = new ServiceTypeCodes(
      Object.values(ORDER_KINDS),
      () => this.serviceTypeCodes,
      (message) => this.warnOnce(message),
    );
  }

  /**
   * The stack's pending creates, read once per run (the first time a new order whose id comes from
   * the answer is checked or created), or why they could not be read.
   */
  checkpoint(): Promise<CheckpointRead> {
    const stack = this.stack;
    if (stack === undefined) {
      return Promise.resolve({ ok: false, reason: "the program's sdk did not say which stack it runs in" });
    }
    return (this.checkpointRead ??= this.checkpointReader({ stack, env: this.env() }));
  }

  /**
   * The stack's configuration, as the engine hands it to configure (secrets decrypted): `get` by
   * full key, and every key when the host tells them (stack-config.ts). Warns once per run of
   * each old name in use; what is wrong with the configuration as a whole fails every preview.
   */
  async configure(config: StackConfig | ((key: string) => string | undefined)): Promise<void> {
    const stack = typeof config === "function" ? { get: config, keys: undefined } : config;
    this.config = (key) => stack.get(key);
    this.parsed = parseRunSettings(this.config);
    const review = reviewStackConfig(stack, this.env());
    const codes = parseServiceTypeCodes(stack.get(SERVICE_TYPE_CODES_KEY));
    this.serviceTypeCodes = codes.codes;
    this.configProblems = [...review.problems, ...codes.problems];
    await Promise.all(review.warnings.map((w) => this.warnOnce(w)));
  }

  /** Shows a warning unless this run already showed it. */
  warnOnce(message: string): Promise<void> {
    if (this.warned.has(message)) return Promise.resolve();
    this.warned.add(message);
    return this.log.warn(message);
  }

  /** The run settings (`huaweicloud-orders:` configuration and environment), parsed at configure. */
  get settings(): ParsedRunSettings["settings"] {
    return this.parsed.settings;
  }

  /** The run settings' problems, each naming its setting: they fail every preview of the run. */
  get settingProblems(): readonly string[] {
    return [...this.parsed.problems, ...this.configProblems];
  }

  /** Marks the run as an update (the engine asked it to create an order), never a preview. */
  markUpdate(): void {
    this.updating = true;
    this.prices?.markUpdate();
  }

  /** Whether the run serves an update rather than a preview (markUpdate was called). */
  get servesUpdate(): boolean {
    return this.updating;
  }

  /** Where client settings come from besides a resource's connection input. */
  settingSources(): Pick<SettingSources, "config"> & {
    /** The environment the settings are read from (HW_* and HUAWEICLOUD_ORDERS_*). */
    env: Readonly<Record<string, string | undefined>>;
  } {
    return { ...(this.config ? { config: this.config } : {}), env: this.env() };
  }

  /**
   * A resource's settings: its connection input, then the stack's configuration, then the
   * environment. Resolved once per connection input while the configuration and environment stay
   * the same: every phase of every resource asks, and most resources share one (none).
   */
  clientSettings(connection: ClientSettingsInput | undefined): ClientSettings {
    const resolved = this.settingsOnce(["resolve", connection ?? null], () => {
      try {
        return resolveSettings({ explicit: connection ?? {}, ...this.settingSources() });
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    });
    if (resolved instanceof Error) throw resolved;
    return resolved;
  }

  /** What is wrong with a resource's settings (checkSettings), found once per connection input and needs. */
  connectionProblems(
    explicit: Readonly<Record<string, unknown>>,
    needs: SettingNeeds,
  ): readonly SettingProblem[] {
    return this.settingsOnce(["check", explicit, needs], () =>
      checkSettings({ explicit, ...this.settingSources() }, needs),
    );
  }

  private settingsOnce<T extends ClientSettings | Error | readonly SettingProblem[]>(
    key: unknown,
    compute: () => T,
  ): T {
    const env = this.env();
    if (this.settingsMemo?.env !== env || this.settingsMemo.config !== this.config) {
      this.settingsMemo = { env, config: this.config, results: new Map() };
    }
    const k = JSON.stringify(key);
    const known = this.settingsMemo.results.get(k);
    if (known !== undefined) return known as T;
    const result = compute();
    this.settingsMemo.results.set(k, result);
    return result;
  }

  /**
   * Every client of the run comes from here, so every request shares the run's limiter, tokens
   * and connections.
   */
  client(
    settings: ClientSettings,
    options: Omit<ClientOptions, "limiter" | "runtime"> = {},
  ): HuaweiCloudClient {
    return new HuaweiCloudClient(settings, { ...options, runtime: this.clientRuntime });
  }
}
