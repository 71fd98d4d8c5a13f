// One engine test file's set-up, shared: the emulator on a free loopback port, stacks made from
// fixtures (or any program folder) and configured for it, the engine's output of every run
// captured, a typed reader of the stack's state, the emulator's request counts, and clean-up,
// all hooked into the file's mocha before/after. Call engineSuite() in a describe block.
import type {
  ConfigMap,
  DestroyOptions,
  DestroyResult,
  PreviewOptions,
  PreviewResult,
  RefreshOptions,
  RefreshResult,
  Stack,
  UpOptions,
  UpResult,
} from "@pulumi/pulumi/automation";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import type { EmulatorOptions, RequestLogEntry } from "../../emulator";
import { emulatorHarness, type CredentialKind, type Harness } from "./emulator-harness";
import { stackFromProgram, type TempStack } from "./engine";
import { preview, readDeployment, readRunsFromFiles, stackState, type StackState } from "./engine-state";

export type { OrderOutputs, StackState, StateResource } from "./engine-state";

/** A config value: strings as they are, anything else as its JSON. */
export type ConfigValue = string | number | boolean | object;

export interface StackOptions {
  /** The credentials of the emulator's `huaweicloud:` config (default "token"); "none": no such config. */
  credentials?: CredentialKind | "none";
  /** More stack config, set with the credentials in one call; a key without a namespace is the program's. */
  config?: Record<string, ConfigValue>;
  /** Added to the environment of every engine run of the stack. */
  env?: Record<string, string>;
  /** Default "test" (examples: "emulator", their committed stack). */
  stackName?: string;
  /** stackFromProgram's: a committed `Pulumi.<stackName>.yaml` passes through it first. */
  editConfig?: (yaml: string) => string;
  /** stackFromProgram's: copy only these files of the program folder. */
  files?: string[];
  /**
   * stackFromProgram's: run the program's transpiled JavaScript. Default: true for fixtures (test
   * scaffolding), false for program() (the examples and the quickstart run as their READMEs say).
   */
  transpile?: boolean;
}

/** What the emulator received, counted by kind (admin requests excluded). */
export interface RequestCounts {
  all: number;
  /** Requests that reached DIS or MetaStudio, whatever their answer. */
  orderRequests: number;
  /** Order requests (POSTs) per service. */
  disPosts: number;
  metastudioPosts: number;
  bss: number;
  payments: number;
  unsubscriptions: number;
  priceInquiries: number;
  /** IAM token requests scoped to a project (the regional order APIs'). */
  projectTokens: number;
  /** Everything but the BSS reads a preview may send (Harness.requestsBesidesPreviewReads). */
  besidesPreviewReads: number;
  /** Requests answered 429. */
  throttled: number;
}

export type Operation = "preview" | "up" | "refresh" | "destroy";

/** An operation that may fail: whether it passed, its output (and error message), its changes. */
export interface Attempt {
  ok: boolean;
  text: string;
  /** The preview's change summary, or the run's resource changes; absent when it failed. */
  changes?: Record<string, number>;
}

export interface EngineStack extends TempStack {
  /** Every chunk of output of this stack's runs since the last clearOutput() (lines, as the CLI prints them). */
  readonly lines: string[];
  /** `lines` joined: what the assertions match. */
  output(): string;
  /** The lines that carry a warning. */
  warnings(): string[];
  clearOutput(): void;
  /** Sets stack config (see ConfigValue); plain values are written to the stack's settings file. */
  configure(config: Record<string, ConfigValue>, secret?: boolean): Promise<void>;
  /** As configure(), for the Automation API's ConfigMap: with a secret, all in one CLI run; else written. */
  configureMap(config: ConfigMap): Promise<void>;
  /** The Automation API's operations, their output captured into `lines`. */
  preview(opts?: PreviewOptions): Promise<PreviewResult>;
  up(opts?: UpOptions): Promise<UpResult>;
  refresh(opts?: RefreshOptions): Promise<RefreshResult>;
  destroy(opts?: DestroyOptions): Promise<DestroyResult>;
  /** Runs `op` and reports a failure instead of throwing it. */
  attempt(op: Operation, opts?: PreviewOptions & UpOptions): Promise<Attempt>;
  /** The stack's state as the last run left it (secret values encrypted; exportStack() decrypts). */
  state(): Promise<StackState>;
}

export interface EngineSuite {
  /**
   * The emulator, started in the file's `before`: `const emu = suite.emu` in the describe block,
   * used in the tests. Using it fails when the suite has none.
   */
  readonly emu: Harness;
  /** A stack of tests/fixtures/<fixture>, configured for the emulator; disposed after the file. */
  stack(fixture: string, options?: StackOptions): Promise<EngineStack>;
  /** As stack(), for any program folder of the repository (examples, the quickstart). */
  program(dir: string, options?: StackOptions): Promise<EngineStack>;
  counts(): RequestCounts;
  /** What was received since `earlier` was counted. */
  countsSince(earlier: RequestCounts): RequestCounts;
}

/**
 * Registers the file's before/after hooks: the emulator (unless `emulator` is false) starts before
 * the first test; every stack made through the suite is disposed, and the emulator stopped, after
 * the last.
 */
export function engineSuite(options: { emulator?: EmulatorOptions | false } = {}): EngineSuite {
  let harness: Harness | undefined;
  const stacks = new Set<TempStack>();
  before(async function () {
    if (options.emulator !== false) harness = await emulatorHarness(options.emulator ?? {});
  });
  after(async function () {
    for (const s of stacks) await s.dispose();
    stacks.clear();
    await harness?.stop();
  });
  const emu = (): Harness => {
    assert.ok(harness, "this suite has no emulator (engineSuite({ emulator: false })) or it did not start");
    return harness;
  };

  async function make(dir: string, o: StackOptions, transpile: boolean): Promise<EngineStack> {
    const temp = await stackFromProgram(dir, o.stackName ?? "test", o.editConfig, {
      envVars: o.env ?? {},
      ...(o.files ? { files: o.files } : {}),
      transpile: o.transpile ?? transpile,
    });
    stacks.add(temp);
    const credentials = o.credentials ?? (harness ? "token" : "none");
    const config: ConfigMap = {
      ...(credentials === "none" ? {} : emu().stackConfig(credentials)),
      ...configMap(o.config ?? {}),
    };
    const engine = engineStack(temp, () => stacks.delete(temp));
    await setConfigMap(temp.stack, config);
    return engine;
  }

  // Usable from the describe block on: each use reaches the emulator the `before` hook started.
  const lazyHarness = new Proxy({} as Harness, {
    get(_, key) {
      const running = emu();
      const value: unknown = Reflect.get(running, key);
      return typeof value === "function" ? value.bind(running) : value;
    },
  });

  return {
    emu: lazyHarness,
    stack: (fixture, o = {}) => make(`tests/fixtures/${fixture}`, o, true),
    program: (dir, o = {}) => make(dir, o, false),
    counts: () => countRequests(emu()),
    countsSince(earlier) {
      const now = countRequests(emu());
      const keys = Object.keys(now) as (keyof RequestCounts)[];
      return Object.fromEntries(keys.map((k) => [k, now[k] - earlier[k]])) as unknown as RequestCounts;
    },
  };
}

/** Stack config from plain values: strings as they are, anything else as JSON. */
export function configMap(values: Record<string, ConfigValue>, secret = false): ConfigMap {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [
      k,
      { value: typeof v === "string" ? v : JSON.stringify(v), ...(secret ? { secret } : {}) },
    ]),
  );
}

/**
 * Plain (non-secret) config written into the stack's settings file by the Automation API itself,
 * as `pulumi config set --plaintext` would write it: a CLI run costs half a CPU second, and engine
 * tests change config between runs dozens of times. Secrets still go through the CLI, which
 * encrypts them with the stack's passphrase.
 */
async function writePlainConfig(s: Stack, values: Record<string, ConfigValue>): Promise<void> {
  if (Object.keys(values).length === 0) return;
  const project = (await s.workspace.projectSettings()).name;
  const settings = await s.workspace.stackSettings(s.name);
  const config = { ...settings.config };
  for (const [key, { value }] of Object.entries(configMap(values))) {
    // A key without a namespace is the program's, as the CLI reads it.
    config[key.includes(":") ? key : `${project}:${key}`] = value;
  }
  await s.workspace.saveStackSettings(s.name, { ...settings, config });
}

/** A ConfigMap set: when it holds a secret, all in one CLI run (which encrypts it); else written. */
async function setConfigMap(s: Stack, config: ConfigMap): Promise<void> {
  if (Object.values(config).some((v) => v.secret)) return s.setAllConfig(config);
  await writePlainConfig(s, Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.value])));
}

function engineStack(temp: TempStack, forget: () => void): EngineStack {
  const lines: string[] = [];
  const collect = (line: string) => void lines.push(line);
  /** The caller's onOutput still gets every line. */
  const capture = <O extends { onOutput?: (line: string) => void }>(opts?: O): O =>
    ({
      ...opts,
      onOutput: (line: string) => {
        collect(line);
        opts?.onOutput?.(line);
      },
    }) as O;
  const s: Stack = temp.stack;
  readRunsFromFiles(s, path.join(temp.dir, "state"));
  const self: EngineStack = {
    ...temp,
    lines,
    output: () => lines.join(""),
    warnings: () =>
      lines
        .join("")
        .split("\n")
        .filter((l) => /\bwarning: /.test(l)),
    clearOutput: () => void lines.splice(0),
    configure: (config, secret = false) =>
      secret ? s.setAllConfig(configMap(config, true)) : writePlainConfig(s, config),
    configureMap: (config) => setConfigMap(s, config),
    preview: (opts) => preview(s, capture(opts)),
    up: (opts) => s.up(capture(opts)),
    refresh: (opts) => s.refresh(capture(opts)),
    destroy: (opts) => s.destroy(capture(opts)),
    async attempt(op, opts) {
      const mark = lines.length;
      const since = () => lines.slice(mark).join("");
      try {
        // The run first: its output is only there once it ends.
        const changes =
          op === "preview"
            ? (await self.preview(opts)).changeSummary
            : ((await self[op](opts)).summary.resourceChanges ?? {});
        return { ok: true, text: since(), changes };
      } catch (err) {
        return { ok: false, text: `${since()}\n${(err as Error).message}` };
      }
    },
    state: async () => stackState(await readDeployment(path.join(temp.dir, "state"), s.name)),
    async dispose() {
      forget();
      await temp.dispose();
    },
  };
  return self;
}

const isBss = (r: RequestLogEntry) => r.service === "bss";

function countRequests(emu: Harness): RequestCounts {
  const all = emu.requests();
  const count = (keep: (r: RequestLogEntry) => boolean) => all.filter(keep).length;
  const orderPost = (service: string) => (r: RequestLogEntry) => r.service === service && r.method === "POST";
  return {
    all: all.length,
    orderRequests: emu.orderRequests().length,
    disPosts: count(orderPost("dis")),
    metastudioPosts: count(orderPost("metastudio")),
    bss: count(isBss),
    payments: count((r) => isBss(r) && r.path === "/v3/orders/customer-orders/pay"),
    unsubscriptions: count((r) => isBss(r) && r.path === "/v2/orders/subscriptions/resources/unsubscribe"),
    priceInquiries: emu.priceInquiries().length,
    projectTokens: emu.projectTokenRequests().length,
    besidesPreviewReads: emu.requestsBesidesPreviewReads().length,
    throttled: count((r) => r.status === 429),
  };
}
