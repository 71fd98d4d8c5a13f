// A run context for provider tests outside the engine, configured as a stack whose duplicate guard
// looks nowhere (huaweicloud-orders:duplicateOrderWindowMinutes 0). Outside the engine no stack's
// checkpoint can be read, and check would otherwise ask BSS for the account's recent orders
// (docs/recovery.md "The engine interrupted while creating"), on Huawei Cloud's own endpoints
// where the test sets none.
import { RunContext } from "../../provider";

export async function offlineRun(config: Record<string, string> = {}): Promise<RunContext> {
  const run = new RunContext();
  const settings: Record<string, string> = {
    "huaweicloud-orders:duplicateOrderWindowMinutes": "0",
    ...config,
  };
  await run.configure((key) => settings[key]);
  return run;
}
