// The stack's own checkpoint, read for one thing: the creates an earlier engine run began and never
// finished (killed while creating). The engine writes a pending "creating" operation before it
// calls a provider's create and keeps it after a kill until `pulumi refresh
// --clear-pending-creates`; its gRPC tells a provider nothing of it, so this process asks the CLI
// that runs it: `pulumi stack export` (no secrets shown), in the program's directory (this
// process's working directory). Read once per engine run, and only when a MetaStudio order is
// about to be placed (docs/recovery.md "The engine interrupted while creating").
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

/** A create the engine began and recorded as pending: the resource's type, name and checked inputs. */
export interface PendingCreate {
  urn: string;
  type: string;
  inputs: Readonly<Record<string, unknown>>;
}

/**
 * An order resource the stack holds as a dynamic resource (type `pulumi-nodejs:dynamic/…`): what a
 * provider plugin's resource of the same name takes over when a program moves to the plugin.
 */
export interface HeldDynamicOrder {
  urn: string;
  type: string;
  name: string;
  orderId: string | undefined;
  onDestroy: string | undefined;
}

/** What was read: the pending creates and held dynamic orders, or why the checkpoint could not be read. */
export type CheckpointRead =
  | { ok: true; pending: PendingCreate[]; heldDynamic: HeldDynamicOrder[] }
  | { ok: false; reason: string };

/**
 * As much of `pulumi stack export` as is read, tolerant of everything else (and of its absence:
 * a stack never deployed exports no resources and no pending operations).
 */
const exported = z.looseObject({
  deployment: z
    .looseObject({
      pending_operations: z
        .array(
          z.looseObject({
            type: z.string(),
            resource: z.looseObject({
              urn: z.string(),
              type: z.string(),
              inputs: z.record(z.string(), z.unknown()).optional(),
            }),
          }),
        )
        .nullish(),
      resources: z
        .array(
          z.looseObject({
            urn: z.string(),
            type: z.string(),
            id: z.string().nullish(),
            outputs: z.record(z.string(), z.unknown()).nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});

const DYNAMIC_ORDER_TYPE_PREFIX = "pulumi-nodejs:dynamic/huaweicloud:";

function parseExport(text: string): z.infer<typeof exported> {
  const parsed = exported.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`the export is not a checkpoint: ${parsed.error.issues[0]?.message ?? "unreadable"}`);
  }
  return parsed.data;
}

/** The pending creates of an exported checkpoint (its JSON text); throws when it is not one. */
export function parsePendingCreates(text: string): PendingCreate[] {
  return (parseExport(text).deployment?.pending_operations ?? [])
    .filter((op) => op.type === "creating")
    .map((op) => ({ urn: op.resource.urn, type: op.resource.type, inputs: op.resource.inputs ?? {} }));
}

/** The order resources an exported checkpoint holds as dynamic resources. */
export function parseHeldDynamicOrders(text: string): HeldDynamicOrder[] {
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return (parseExport(text).deployment?.resources ?? [])
    .filter((r) => r.type.startsWith(DYNAMIC_ORDER_TYPE_PREFIX))
    .map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.urn.split("::").slice(3).join("::"),
      orderId: str(r.outputs?.["orderId"]) ?? r.id ?? undefined,
      onDestroy: str(r.outputs?.["onDestroy"]),
    }));
}

export interface CheckpointSource {
  /**
   * "organization/project/stack" as the program knows it (the sdk passes it at check), or the
   * stack's name alone (a provider plugin, whose URNs do not name the organization).
   */
  stack: string;
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
  /** The CLI to run; found when absent (cliCandidates). */
  cli?: string;
}

/**
 * The CLI that runs this engine first (an ancestor of this process: the CLI starts the
 * dynamic-provider host through a shell script), then the one on PATH.
 */
export function cliCandidates(env: Readonly<Record<string, string | undefined>>): string[] {
  const found: string[] = [];
  let pid = process.ppid;
  for (let depth = 0; depth < 3 && pid > 1; depth++) {
    try {
      const exe = fs.readlinkSync(`/proc/${pid}/exe`);
      if (path.basename(exe) === "pulumi") found.push(exe);
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      break; // no /proc (not Linux), or the process is gone
    }
  }
  for (const dir of (env["PATH"] ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, "pulumi");
    try {
      fs.accessSync(file, fs.constants.X_OK);
      found.push(file);
    } catch {
      // not here
    }
  }
  return [...new Set(found)];
}

/** Reads the stack's pending creates through the CLI; never throws (the reason says why not). */
export async function readCheckpoint(source: CheckpointSource): Promise<CheckpointRead> {
  const env = source.env ?? process.env;
  const cli = source.cli ?? cliCandidates(env)[0];
  if (!cli) return { ok: false, reason: "no Pulumi CLI was found (neither the engine's nor one on PATH)" };
  const args = ["stack", "export", "--stack", source.stack, "--non-interactive"];
  try {
    const text = await new Promise<string>((resolve, reject) => {
      execFile(
        cli,
        args,
        {
          cwd: source.cwd ?? process.cwd(),
          env: env as NodeJS.ProcessEnv,
          timeout: source.timeoutMs ?? 60_000,
          maxBuffer: 256 * 1024 * 1024,
        },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`${err.message.split("\n")[0] ?? ""} ${stderr.trim()}`.trim()));
          else resolve(stdout);
        },
      );
    });
    return { ok: true, pending: parsePendingCreates(text), heldDynamic: parseHeldDynamicOrders(text) };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: `\`pulumi ${args.join(" ")}\` failed: ${why}` };
  }
}
