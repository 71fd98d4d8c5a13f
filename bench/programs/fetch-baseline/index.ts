// Baseline (a): the least a dynamic resource can do. A provider that posts the same bodies as
// the real resources with Node's fetch, and nothing else: no validation, no retries, no secrets.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";

interface Bodies {
  dis: unknown;
  metastudio: unknown;
}

interface Post {
  path: string;
  body: unknown;
}

const poster: pulumi.dynamic.ResourceProvider = {
  async create(inputs: Post) {
    const res = await fetch(`${process.env["BENCH_URL"]}${inputs.path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Auth-Token": process.env["BENCH_TOKEN"] ?? "" },
      body: JSON.stringify(inputs.body),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    const text = await res.text();
    const id: string = text
      ? (JSON.parse(text) as { order_id: string }).order_id
      : (inputs.path.split("/").pop() ?? "");
    return { id, outs: { ...inputs, orderId: id } };
  },
};

class PostOrder extends pulumi.dynamic.Resource {
  constructor(name: string, props: Post) {
    super(poster, name, props);
  }
}

// The bodies: written beside this program by bench/run.ts, from this package's own wire mapping.
const bodies = JSON.parse(fs.readFileSync(path.join(__dirname, "bodies.json"), "utf8")) as Bodies;
const config = new pulumi.Config();
const n = config.requireNumber("n");
const projectId = config.require("projectId");
for (let i = 0; i < n; i++) {
  new PostOrder(`dis-${i}`, { path: `/v2/orders/BENCH${i}`, body: bodies.dis });
  new PostOrder(`metastudio-${i}`, { path: `/v1/${projectId}/mss/public/orders`, body: bodies.metastudio });
}
