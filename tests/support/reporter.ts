// Mocha's spec reporter plus one closing line in the plain "N passed, N failed" form that CI reads.
import * as Mocha from "mocha";

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const stats = runner.stats;
      console.log(`mocha: ${stats?.passes ?? 0} passed, ${stats?.failures ?? 0} failed`);
    });
  }
}

export = SpecWithSummary;
