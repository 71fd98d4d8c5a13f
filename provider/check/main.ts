#!/usr/bin/env node
// `pulumi-huaweicloud-orders check`: the package's command (package.json "bin"). Reads the
// settings (sources.ts), runs the probes (probes.ts) and prints their table (table.ts) or JSON.
import { parseCheckArgs, USAGE, type ParsedArgs } from "./args";
import { runProbes, type ProbeOptions } from "./probes";
import { checkSources, type CheckSources, type PulumiRunner } from "./sources";
import { renderJson, renderTable } from "./table";

export interface MainOptions extends ProbeOptions {
  env?: Readonly<Record<string, string | undefined>>;
  write?: (text: string) => void;
  writeError?: (text: string) => void;
  runPulumi?: PulumiRunner;
}

/** Runs the command; resolves with its exit code. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const write = options.write ?? ((t: string) => void process.stdout.write(t));
  const writeError = options.writeError ?? ((t: string) => void process.stderr.write(t));
  let parsed: ParsedArgs;
  try {
    parsed = parseCheckArgs(argv);
  } catch (err) {
    writeError(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    write(`${USAGE}\n`);
    return 0;
  }
  const { json, stack, cwd } = parsed.check;
  let sources: CheckSources;
  try {
    sources = await checkSources(options.env ?? process.env, stack, cwd, options.runPulumi);
  } catch (err) {
    writeError(`${(err as Error).message}\n`);
    return 1;
  }
  const rows = await runProbes(sources, options);
  write(`${json ? renderJson(rows) : renderTable(rows)}\n`);
  return rows.some((r) => r.result === "failed") ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
