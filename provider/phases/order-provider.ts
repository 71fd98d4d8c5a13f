// One dynamic provider for every order resource, derived from its OrderKind: each method builds
// its phase's job and runs the phase's steps (phases.ts). It runs in the engine's dynamic-provider
// process; credentials reach it through configure (the stack's configuration, secrets decrypted
// by the engine), the environment, or the resource's secret `connection` input — never through
// the serialized provider.
import type * as pulumi from "@pulumi/pulumi";
import type { OrderKind } from "../orders/order-kind";
import { RunContext } from "../run/run-context";
import { stackConfigOf } from "../run/stack-config";
import { CheckJob, DiffJob, HeldJob, PlaceJob, type Props } from "../lifecycle/jobs";
import { PHASES, type Phases } from "./phases";
import { runPhase } from "../lifecycle/step";

/**
 * The dynamic provider of one order kind: each method the engine calls (check, diff, create,
 * read, update, delete) builds its phase's job and runs the phase's steps (provider/phases).
 */
export class OrderProvider implements pulumi.dynamic.ResourceProvider {
  constructor(
    private readonly kind: OrderKind,
    /** The run this provider serves; a provider built alone (a test) gets a run of its own. */
    readonly run: RunContext = new RunContext(),
    /** The steps of each phase; a test may add one (CONTRIBUTING.md "Adding a lifecycle step"). */
    private readonly phases: Phases = PHASES,
  ) {}

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    await this.run.configure(stackConfigOf(req.config));
  }

  /**
   * Validates what the program declared and returns it as declared: defaults are filled in only
   * where an order is placed, so the inputs recorded in state are the program's own.
   */
  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    return runPhase("check", this.phases.check, new CheckJob(this.run, this.kind, olds, news));
  }

  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    return runPhase("diff", this.phases.diff, new DiffJob(this.run, this.kind, id, olds, news));
  }

  async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    try {
      return await runPhase("create", this.phases.create, new PlaceJob(this.run, this.kind, "", {}, inputs));
    } finally {
      // The lines checks left in flight reach the engine before this process may end.
      await this.run.log.delivered();
    }
  }

  /**
   * Resumes what a create (or an earlier update) left: the engine sends here a resource saved with
   * initialization errors, and one whose `waitUntil` now asks for more (diff). Every other change
   * to an order replaces it, so nothing else arrives here.
   */
  update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    return runPhase("update", this.phases.update, new PlaceJob(this.run, this.kind, id, olds, news));
  }

  read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    return runPhase("read", this.phases.read, new HeldJob(this.run, this.kind, id, props, props));
  }

  async delete(id: string, props: Props): Promise<void> {
    await runPhase("delete", this.phases.delete, new HeldJob(this.run, this.kind, id, props, props));
  }
}
