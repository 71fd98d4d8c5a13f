// Baseline (b): what a user might write instead. One @pulumi/command local.Command per order,
// running curl with the same bodies; the token comes from the environment, not the state.
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";

// The bodies: written beside this program by bench/run.ts, from this package's own wire mapping.
const bodies = JSON.parse(fs.readFileSync(path.join(__dirname, "bodies.json"), "utf8")) as {
  dis: unknown;
  metastudio: unknown;
};

const config = new pulumi.Config();
const n = config.requireNumber("n");
const projectId = config.require("projectId");
const post = (name: string, urlPath: string, body: unknown) =>
  new command.local.Command(name, {
    create:
      `curl -sSf -X POST "$BENCH_URL${urlPath}" -H "Content-Type: application/json" ` +
      `-H "X-Auth-Token: $BENCH_TOKEN" -d '${JSON.stringify(body)}'`,
  });

for (let i = 0; i < n; i++) {
  post(`dis-${i}`, `/v2/orders/BENCH${i}`, bodies.dis);
  post(`metastudio-${i}`, `/v1/${projectId}/mss/public/orders`, bodies.metastudio);
}
