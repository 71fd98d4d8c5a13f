// A provider phase (check, diff, create, update, read, delete) is an ordered list of named steps,
// run one after another on the phase's job. A step looks at the job, adds to it, and either passes
// (returns nothing) or ends the phase with its result. Adding behaviour is one step in a feature's
// file (provider/steps/) and one line in provider/phases/phases.ts.

export interface Step<Job, Result> {
  /** What the step does, named as a reader looks for it. */
  readonly name: string;
  /** Nothing to pass the job on; a result to end the phase with it. */
  run(job: Job): Promise<Result | undefined> | Result | undefined;
}

/** A step of a phase: `named("adopt", (job) => ...)`. */
export function named<Job, Result>(
  name: string,
  run: (job: Job) => Promise<Result | undefined> | Result | undefined,
): Step<Job, Result> {
  return { name, run };
}

/** Runs the steps in order until one ends the phase; the last step of every phase always does. */
export async function runPhase<Job, Result>(
  phase: string,
  steps: readonly Step<Job, Result>[],
  job: Job,
): Promise<Result> {
  for (const step of steps) {
    const result = await step.run(job);
    if (result !== undefined) return result;
  }
  throw new Error(`the ${phase} phase ended without a result: its last step must give one`);
}
