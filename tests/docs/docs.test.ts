import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

// The docs a newcomer reads: README.md as a short front page, every relative link in the
// repository's Markdown pointing at a file (and heading) that exists. A failure names the file
// and line.
const ROOT = path.resolve(__dirname, "../..");
const README_MAX_LINES = 200;
const SKIP_DIRS = new Set(["node_modules", ".git", ".tools", "dist", "sdks", ".pulumi", ".emulator"]);

function markdownFiles(dir = ROOT): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : markdownFiles(full);
    return entry.name.endsWith(".md") ? [full] : [];
  });
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, "")
    .replace(/[^\p{L}\p{N} -]/gu, "")
    .replace(/ /g, "-");
}

function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? undefined : /^#{1,6}\s+(.*)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = headingAnchor(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

interface Link {
  file: string;
  line: number;
  target: string;
}

/** The relative links of a Markdown file (inline `[text](target)`), outside code. */
function linksOf(file: string): Link[] {
  const links: Link[] = [];
  let fenced = false;
  fs.readFileSync(file, "utf8")
    .split("\n")
    .forEach((text, i) => {
      if (/^\s*(```|~~~)/.test(text)) fenced = !fenced;
      if (fenced) return;
      const unquoted = text.replace(/`[^`]*`/g, "");
      for (const m of unquoted.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = m[1] as string;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
        links.push({ file, line: i + 1, target });
      }
    });
  return links;
}

/** What is wrong with a link, or undefined when it points at something that exists. */
function brokenReason(link: Link): string | undefined {
  const [target, anchor] = link.target.split("#", 2) as [string, string | undefined];
  const resolved = target === "" ? link.file : path.resolve(path.dirname(link.file), decodeURI(target));
  if (!resolved.startsWith(ROOT)) return "points outside the repository";
  if (!fs.existsSync(resolved)) return `${path.relative(ROOT, resolved)} does not exist`;
  if (anchor && resolved.endsWith(".md") && !anchorsOf(resolved).has(anchor.toLowerCase())) {
    return `${path.relative(ROOT, resolved)} has no heading #${anchor}`;
  }
  return undefined;
}

describe("docs", function () {
  it(`README.md is a front page of at most ${README_MAX_LINES} lines`, function () {
    const lines = fs.readFileSync(path.join(ROOT, "README.md"), "utf8").trimEnd().split("\n").length;
    assert.ok(
      lines <= README_MAX_LINES,
      `README.md:${lines}: ${lines} lines, over the ${README_MAX_LINES}-line budget`,
    );
  });

  it("every relative link in the repository's Markdown points at a file and heading that exist", function () {
    const broken = markdownFiles()
      .flatMap(linksOf)
      .map((link) => ({ link, reason: brokenReason(link) }))
      .filter((b) => b.reason !== undefined)
      .map(
        ({ link, reason }) => `${path.relative(ROOT, link.file)}:${link.line}: (${link.target}) ${reason}`,
      );
    assert.deepEqual(broken, [], `broken links:\n${broken.join("\n")}`);
  });

  it("computes GitHub's heading anchors", function () {
    assert.equal(
      headingAnchor("Moving a stack to the provider plugin"),
      "moving-a-stack-to-the-provider-plugin",
    );
    assert.equal(
      headingAnchor("Pulumi YAML and other languages: the provider plugin"),
      "pulumi-yaml-and-other-languages-the-provider-plugin",
    );
    assert.equal(headingAnchor("`onDestroy` and BSS"), "ondestroy-and-bss");
  });
});
