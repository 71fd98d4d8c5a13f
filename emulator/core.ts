// The emulator's model and the operations on it that the admin API and the object startEmulator
// returns share: accounts, recorded state, faults, the clock.
import { Accounts, type AccountSpec, demoAccountSpec, DEMO_ACCOUNT } from "./accounts";
import type { AuthContext } from "./auth";
import { type ActiveFault, Faults, type FaultSpec, faultSpecSchema } from "./faults";
import { DEFAULT_TOKEN_TTL_SECONDS, type IamContext, issueToken } from "./iam";
import { State } from "./state";

export interface CoreOptions {
  dataFile?: string;
  tokenTtlSeconds?: number;
  seedDemoAccount?: boolean;
  accounts?: AccountSpec[];
  faults?: FaultSpec[];
  clock?: () => number;
}

export class Core {
  readonly accounts = new Accounts();
  readonly state: State;
  readonly faults: Faults;
  readonly now: () => number;
  readonly tokenTtlSeconds: number;
  private readonly startupFaults: FaultSpec[];

  constructor(options: CoreOptions) {
    this.now = options.clock ?? Date.now;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    if (!(this.tokenTtlSeconds > 0)) throw new Error("tokenTtlSeconds must be positive");
    this.state = new State(options.dataFile);
    this.faults = new Faults(this.now);
    if (options.seedDemoAccount ?? true) this.accounts.add(demoAccountSpec());
    for (const spec of options.accounts ?? []) this.accounts.add(spec);
    this.startupFaults = structuredClone(options.faults ?? []);
    this.injectFaults(this.startupFaults);
  }

  authContext(): AuthContext {
    return { accounts: this.accounts, state: this.state, now: this.now() };
  }

  iamContext(): IamContext {
    return { ...this.authContext(), tokenTtlSeconds: this.tokenTtlSeconds };
  }

  /** Back to how the emulator started: no orders, requests or tokens; the start-up faults only. */
  reset(): void {
    this.state.reset();
    this.faults.clear();
    this.injectFaults(this.startupFaults);
  }

  injectFaults(specs: FaultSpec[]): ActiveFault[] {
    const added: ActiveFault[] = [];
    for (const spec of specs.map((s) => faultSpecSchema.parse(s))) {
      if (spec.kind === "expire-tokens") this.expireTokens();
      else added.push(this.faults.add(spec));
    }
    return added;
  }

  expireTokens(): number {
    return this.state.expireTokens(this.now());
  }

  /** A token as IAM would issue it, without the HTTP round trip. Default: the demo account's project. */
  issueToken(options: { domainName?: string; projectId?: string } = {}): string {
    const domainName = options.domainName ?? DEMO_ACCOUNT.domainName;
    const projectId =
      options.projectId ?? (domainName === DEMO_ACCOUNT.domainName ? DEMO_ACCOUNT.projectId : undefined);
    const account = this.accounts.byDomainName(domainName);
    const project = account?.projects.find((p) => projectId === undefined || p.id === projectId);
    if (!account || !project)
      throw new Error(`no account ${domainName} with project ${projectId ?? "(any)"}`);
    return issueToken(account, project, this.iamContext()).token;
  }
}
