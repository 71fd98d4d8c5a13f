// Fails (exit 1) when any two files of the project import each other, directly or through others,
// type-only imports included: `npx ts-node --transpile-only scripts/check-import-cycles.ts [dir]`.
// The test command's lint step runs it over every file tsconfig.json includes. Type-only back edges
// are harmless at run time only while they stay type-only: the day one becomes a value import,
// Node loads a half-initialised module and a constant reads `undefined`. A tree whose imports form
// a DAG also reads bottom-up. It uses the TypeScript compiler's own scanner and module resolution
// (the tsconfig's), so it sees what tsc sees, in about a second.
import * as path from "node:path";
import * as ts from "typescript";

/** Import edges between the project's own files (paths relative to `root`), each file's sorted. */
export function importGraph(root: string, configName = "tsconfig.json"): Map<string, string[]> {
  const configPath = path.resolve(root, configName);
  const read = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  const config = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath));
  const files = new Set(config.fileNames.map((f) => path.resolve(f)));
  const cache = ts.createModuleResolutionCache(root, (f) => f, config.options);
  const graph = new Map<string, string[]>();
  for (const file of [...files].sort()) {
    const text = ts.sys.readFile(file) ?? "";
    // Both flags: `import type`, `export ... from`, `import()` and `require()` all count.
    const { importedFiles, referencedFiles } = ts.preProcessFile(text, true, true);
    const targets = new Set<string>();
    for (const { fileName } of importedFiles) {
      const resolved = ts.resolveModuleName(fileName, file, config.options, ts.sys, cache).resolvedModule;
      if (resolved && files.has(path.resolve(resolved.resolvedFileName)))
        targets.add(path.resolve(resolved.resolvedFileName));
    }
    for (const { fileName } of referencedFiles) {
      const target = path.resolve(path.dirname(file), fileName);
      if (files.has(target)) targets.add(target);
    }
    graph.set(path.relative(root, file), [...targets].map((t) => path.relative(root, t)).sort());
  }
  return graph;
}

/** Strongly connected components (Tarjan's algorithm, iterative so deep trees cannot overflow). */
function components(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; edge: number };
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++] as string;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(to) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent)
        low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      found.push(component);
    }
  }
  return found;
}

/** The shortest path from `from` to `to` inside `within` (breadth first), both ends included. */
function shortestPath(graph: Map<string, string[]>, from: string, to: string, within: Set<string>): string[] {
  const cameFrom = new Map<string, string>([[from, from]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as string;
    if (node === to) break;
    for (const next of graph.get(node) ?? []) {
      if (!within.has(next) || cameFrom.has(next)) continue;
      cameFrom.set(next, node);
      queue.push(next);
    }
  }
  const chain = [to];
  while (chain[0] !== from) chain.unshift(cameFrom.get(chain[0] as string) as string);
  return chain;
}

/**
 * Every import cycle, as chains of files that start and end with the same file: for each import
 * that lies on a cycle, the shortest cycle through it (so every edge to break is named), each
 * cycle once, starting at its first file in sort order.
 */
export function findImportCycles(graph: Map<string, string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  for (const component of components(graph)) {
    const members = new Set(component);
    for (const from of [...component].sort()) {
      for (const to of graph.get(from) ?? []) {
        if (!members.has(to)) continue;
        // from -> to -> ... -> from; a file that imports itself is a cycle of one.
        const body = to === from ? [from] : [from, ...shortestPath(graph, to, from, members).slice(0, -1)];
        const first = body.indexOf([...body].sort()[0] as string);
        const rotated = [...body.slice(first), ...body.slice(0, first)];
        const cycle = [...rotated, rotated[0] as string];
        cycles.set(cycle.join(" -> "), cycle);
      }
    }
  }
  return [...cycles.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, cycle]) => cycle);
}

function main(): void {
  const root = path.resolve(process.argv[2] ?? path.join(__dirname, ".."));
  const cycles = findImportCycles(importGraph(root));
  if (cycles.length === 0) return;
  process.stderr.write(
    `${cycles.length} import cycle(s) (type-only imports count too; move what both sides need into a module both import):\n`,
  );
  for (const cycle of cycles) process.stderr.write(`  ${cycle.join(" -> ")}\n`);
  process.exitCode = 1;
}

if (require.main === module) main();
