// Mocha's spec reporter plus one closing line in the plain "N passed, N failed" form that CI reads,
// preceded by each test file's wall time (see file-times.ts), longest first.
import * as Mocha from "mocha";
import { readFileTimes } from "./file-times";

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const times = readFileTimes();
      if (times.length > 1) {
        console.log("file times (s): wall, CPU (with the processes it started)");
        for (const t of times) {
          console.log(
            `  ${t.seconds.toFixed(1).padStart(6)} ${t.cpuSeconds.toFixed(1).padStart(6)}  ${t.file}`,
          );
        }
      }
      const stats = runner.stats;
      console.log(`mocha: ${stats?.passes ?? 0} passed, ${stats?.failures ?? 0} failed`);
    });
  }
}

export = SpecWithSummary;
