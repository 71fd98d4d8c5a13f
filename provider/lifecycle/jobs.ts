// What each phase's steps work on: the resource as the engine shows it, split into the order's
// fields and the inputs that are not part of the order, with the run it belongs to and the
// messages that name it. One job per engine call.
import type * as pulumi from "@pulumi/pulumi";
import { HuaweiCloudError, type ClientSettingsInput, type HuaweiCloudClient } from "../client";
import { readRecorded, type RecordedOutputs } from "../contract/recorded-outputs";
import { readResourceInputs, type ResourceInputs } from "../contract/resource-inputs";
import {
  ADOPT_KEY,
  ALLOW_IDENTICAL_KEY,
  AUTO_PAY_KEY,
  CONNECTION_KEY,
  DRY_RUN_KEY,
  ON_DESTROY_KEY,
  PREVIEW_PRICE_KEY,
  PRICE_INQUIRY_KEY,
  RESOURCE_NAME_KEY,
  SIGN_AGREEMENT_KEY,
  STACK_KEY,
  WAIT_TIMEOUT_KEY,
  WAIT_UNTIL_KEY,
} from "../contract/resource-keys";
import type { OrderKind } from "../orders/order-kind";
import { checkInputs, type CheckFailure } from "../orders/schema-kit";
import type { RunContext } from "../run/run-context";
import type { OrderState } from "./order-state";

export type Props = Record<string, unknown>;

/** Inputs that are never part of the order (besides the engine's own `__` keys). */
const NOT_ORDER_FIELDS: ReadonlySet<string> = new Set<string>([
  RESOURCE_NAME_KEY,
  CONNECTION_KEY,
  ADOPT_KEY,
  ON_DESTROY_KEY,
  WAIT_UNTIL_KEY,
  WAIT_TIMEOUT_KEY,
  AUTO_PAY_KEY,
  PRICE_INQUIRY_KEY,
  PREVIEW_PRICE_KEY,
  ALLOW_IDENTICAL_KEY,
  SIGN_AGREEMENT_KEY,
]);

/** Splits props into the order's fields and the rest (resource name, connection, __provider). */
export function split(props: Props): { order: Props; extra: Props } {
  const order: Props = {};
  const extra: Props = {};
  for (const [k, v] of Object.entries(props)) {
    if (NOT_ORDER_FIELDS.has(k) || k.startsWith("__")) extra[k] = v;
    else order[k] = v;
  }
  return { order, extra };
}

export function isProps(v: unknown): v is Props {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What every job knows: its run, its kind, the resource's name, and how messages name it. */
export class ResourceJob {
  readonly order: Props;
  readonly extra: Props;
  /** The inputs that are not part of the order, defaults filled in (malformed ones: defaults). */
  readonly resource: ResourceInputs;

  constructor(
    readonly run: RunContext,
    readonly kind: OrderKind,
    /** The props the engine gave: new inputs (check, create, update) or recorded outputs. */
    readonly props: Props,
  ) {
    ({ order: this.order, extra: this.extra } = split(props));
    this.resource = readResourceInputs(this.extra);
  }

  /** "DisPackageOrder 'name'", as every message names the resource. */
  get label(): string {
    const name = this.extra[RESOURCE_NAME_KEY];
    return `${this.kind.name}${typeof name === "string" ? ` '${name}'` : ""}`;
  }

  describe(detail: string): string {
    return `${this.label}: ${detail}`;
  }

  /** The resource's client settings; throws naming what is missing. */
  clientSettings() {
    return this.run.clientSettings(this.extra[CONNECTION_KEY] as ClientSettingsInput | undefined);
  }

  /** A client for this resource's requests, sharing the run's limiter. */
  client(): HuaweiCloudClient {
    try {
      return this.run.client(this.clientSettings());
    } catch (err) {
      throw new Error(this.describe(`not sent: ${message(err)}`));
    }
  }

  /** The order's fields parsed (defaults filled in), or an error naming every bad field. */
  parsedOrder(): Props {
    const checked = checkInputs(this.kind.inputs, this.order);
    if (!checked.ok) {
      throw new Error(this.describe(checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")));
    }
    return checked.value as Props;
  }

  /**
   * A line of check (or of diff, for a replacement): what waits for its delivery. The engine checks one resource at a time, so a
   * check that waits makes every resource after it wait. In an update, each resource checked as
   * a new order is created next, in this same process, and create waits for every line still in
   * flight: check does not. At a preview nothing follows the last check (the engine ends this
   * process without notice), so there check waits.
   */
  line(line: Promise<void>): Promise<void> {
    if (!this.run.servesUpdate) return line;
    this.run.log.sendUnawaited(line);
    return Promise.resolve();
  }

  /** An error for the operator, naming the resource (a client's error keeps its name). */
  wrap(err: unknown): Error {
    if (err instanceof HuaweiCloudError) {
      const wrapped = new Error(this.describe(err.message));
      wrapped.name = err.name;
      return wrapped;
    }
    return err instanceof Error && err.message.startsWith(this.kind.name)
      ? err
      : new Error(this.describe(message(err)));
  }
}

/** check(olds, news): validates, then, for a new order, announces, prices and guards it. */
export class CheckJob extends ResourceJob {
  readonly failures: pulumi.dynamic.CheckFailure[] = [];
  /** The order's fields parsed, when they are valid. */
  readonly parsed: Props | undefined;
  /**
   * What check returns as the resource's inputs: the program's own, with previewPrice added and
   * the program's preview flag and stack dropped (the flag would differ between a preview and its
   * update; the stack is the run's, RunContext.stack).
   */
  inputs: Props;
  /** Work that goes out together (the engine checks one resource at a time): awaited at the end. */
  readonly together: Promise<unknown>[] = [];

  constructor(
    run: RunContext,
    kind: OrderKind,
    readonly olds: Props,
    readonly news: Props,
  ) {
    super(run, kind, news);
    const result = checkInputs(kind.inputs, this.order);
    this.parsed = result.ok ? (result.value as Props) : undefined;
    this.failures.push(...(result.ok ? [] : result.failures.map(toPulumiFailure)));
    const { [DRY_RUN_KEY]: _dryRun, [STACK_KEY]: stack, ...inputs } = news;
    this.inputs = inputs;
    if (typeof stack === "string") run.stack ??= stack;
  }

  /** What the program said of this engine run: true at a preview, false in an update. */
  get programDryRun(): boolean | undefined {
    const flag = this.extra[DRY_RUN_KEY];
    return typeof flag === "boolean" ? flag : undefined;
  }

  /** No olds: the resource is new to the stack (or the create half of a replacement). */
  get isNew(): boolean {
    return Object.keys(this.olds).length === 0;
  }
}

/** A phase of a resource the stack holds: diff, update, read, delete. */
export class HeldJob extends ResourceJob {
  private recordedOnce: RecordedOutputs | undefined;

  constructor(
    run: RunContext,
    kind: OrderKind,
    readonly id: string,
    /** The recorded outputs (diff, update: the olds). */
    readonly olds: Props,
    /** The new inputs (diff, update); the recorded outputs again for read and delete. */
    news: Props,
  ) {
    super(run, kind, news);
  }

  /** The recorded outputs, read once when a step first asks (a create has none). */
  get recorded(): RecordedOutputs {
    return (this.recordedOnce ??= readRecorded(this.id, this.olds));
  }

  /** The name of the resource as recorded (read and delete have no new inputs). */
  get recordedLabel(): string {
    const name = this.olds[RESOURCE_NAME_KEY];
    return `${this.kind.name}${typeof name === "string" ? ` '${name}'` : ""}`;
  }
}

export class DiffJob extends HeldJob {
  /** The order fields the program's declaration changes (orders/changes.ts). */
  changed: string[] = [];
}

/** create(inputs) and update(id, olds, news): what drives the order's state machine. */
export class PlaceJob extends HeldJob {
  state: OrderState = { state: "new" };
  /** The outputs recorded so far (an update starts from the olds). */
  outs: Props = {};
  /** Set once the order's fields are known to be valid. */
  parsed: Props = {};
  private clientOnce: HuaweiCloudClient | undefined;

  /** One client for the whole create or update. */
  override client(): HuaweiCloudClient {
    return (this.clientOnce ??= super.client());
  }
}

export function toPulumiFailure(f: CheckFailure): pulumi.dynamic.CheckFailure {
  return { property: f.property, reason: f.reason };
}

/**
 * The error Pulumi's dynamic-provider host turns into ErrorResourceInitFailed (`id` and
 * `properties` set, see @pulumi/pulumi cmd/dynamic-provider grpcResponseFromError): the engine
 * saves the resource with these outputs and the message as its initialization error.
 */
export class PartialCreate extends Error {
  readonly reasons: string[];
  constructor(
    readonly id: string,
    readonly properties: Props,
    message: string,
  ) {
    super(message);
    this.reasons = [message];
  }
}

export type { RecordedOutputs };
