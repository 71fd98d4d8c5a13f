// The command line of `pulumi-huaweicloud-orders`: one command, `check`, and its options.
import { parseArgs } from "node:util";

export const USAGE = `Usage: pulumi-huaweicloud-orders check [--stack NAME] [--cwd DIR] [--json]

Checks, before the first paid \`pulumi up\`, that the settings the orders would run with work:
endpoints, authentication, BSS's service type codes, a read of one order, the price of one sample
order of each kind, and MetaStudio's tenant resources. It buys, pays and unsubscribes nothing.

Settings come from the environment (HW_*, HUAWEICLOUD_ORDERS_*). With --stack, the stack's
configuration (huaweicloud:, huaweicloud-orders:) is read first, through the Pulumi CLI, in the
project folder (--cwd, default the current one); the stack's secrets are never decrypted: give
them to the check in their environment variables (HW_SECRET_KEY, HW_USER_PASSWORD, HW_AUTH_TOKEN).

  --stack NAME   also read the configuration of this stack (needs \`pulumi\` on PATH)
  --cwd DIR      the Pulumi project folder for --stack (default: the current folder)
  --json         print the rows as JSON instead of a table
  --help         print this text

Exit code: 0 when every probe passes, 1 when one fails, 2 for a wrong command line.`;

export interface CheckArgs {
  json: boolean;
  stack: string | undefined;
  cwd: string | undefined;
}

export type ParsedArgs = { help: true } | { help: false; check: CheckArgs };

/** Throws an Error meant for the user on a wrong command line. */
export function parseCheckArgs(argv: readonly string[]): ParsedArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      stack: { type: "string" },
      cwd: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return { help: true };
  const [command, ...rest] = positionals;
  if (command !== "check") {
    throw new Error(command === undefined ? "no command given" : `unknown command "${command}"`);
  }
  if (rest.length > 0) throw new Error(`unexpected arguments: ${rest.join(" ")}`);
  if (values.stack === "") throw new Error("--stack needs a stack name");
  return { help: false, check: { json: values.json, stack: values.stack, cwd: values.cwd } };
}
