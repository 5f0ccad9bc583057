// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by package.
import { readFile } from "node:fs/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  if (!url) return "(native / V8)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.startsWith("node:")) return "node core";
  // The bench runs the build (dist/), tests and tsx run src/: both are the app's own code.
  const own = /\/(src|dist)\//.exec(url);
  if (own && !url.includes("node_modules/"))
    return `app ${url
      .slice(own.index + 1)
      .split("/")
      .slice(0, 2)
      .join("/")}`;
  return url.replace(/^file:\/\//, "");
}

/** The app's own code: src/ (tests, tsx) or its build in dist/, not a package's dist/. */
const isOwnCode = (url: string) => /\/(src|dist)\//.test(url) && !url.includes("node_modules/");

export async function summariseProfile(file: string, top = 15): Promise<string> {
  const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = profile.endTime - profile.startTime;

  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url ? `${frame.url.replace(/^.*\/(node_modules|src|dist|bench|test)\//, "$1/")}:${frame.lineNumber + 1}` : "";
    const key = `${frame.functionName || "(anonymous)"} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = ["(idle)", "(program)", "(garbage collector)"].includes(frame.functionName) ? frame.functionName : packageOf(frame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  // Inclusive time of our own functions (src/): each function counted once per sampled stack.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const keyOf = (node: ProfileNode) => {
    const frame = node.callFrame;
    const where = frame.url ? `${frame.url.replace(/^.*\/(node_modules|src|dist|bench|test)\//, "$1/")}:${frame.lineNumber + 1}` : "";
    return `${frame.functionName || "(anonymous)"} ${where}`.trim();
  };
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const n = byId.get(node)!;
      if (!isOwnCode(n.callFrame.url)) continue;
      const key = keyOf(n);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  });

  const fmt = (entries: Map<string, number>, rows = top) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, rows)
      .map(([name, us]) => `  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`)
      .join("\n");
  return [
    `profile ${file}: ${(total / 1000).toFixed(0)} ms wall`,
    "self time by package:",
    fmt(byPackage),
    "self time by function:",
    fmt(byFunction),
    "inclusive time of the app's own functions (src/ or dist/):",
    fmt(inclusive),
    "where the time goes (inclusive, each sample counted once, in the first area of this list its stack passes through):",
    fmt(byArea(profile, byId, parent), 25),
  ].join("\n");
}

/**
 * The areas issue 22 asks about, each recognised by a frame on the stack (function name and file).
 * A sample counts for the first area, in this order, that one of its frames belongs to: the
 * signature check inside the receiver counts as a signature check, not as the receiver.
 */
const AREAS: ReadonlyArray<[area: string, test: (name: string, url: string) => boolean]> = [
  ["profiler itself (node:inspector)", (name, url) => url === "node:inspector" || (name === "post" && url.includes("inspector"))],
  ["bench sampler (memoryUsage)", (name) => name === "memoryUsage"],
  ["signature check (ours)", (name) => name === "signedBySlack"],
  ["signature check (Bolt)", (name) => name === "verifySlackRequest" || name === "isValidSlackRequest"],
  ["JSON / form parsing (Bolt)", (name) => name === "parseHTTPRequestBody"],
  ["JSON / form parsing (ours)", (name) => name === "parseSlackBody"],
  ["redaction", (_name, url) => url.includes("/incidents/redact")],
  ["group commit (entryBatcher)", (_name, url) => url.includes("/store/entryBatcher")],
  ["pg driver", (_name, url) => /node_modules\/(pg|pg-protocol|pg-pool|pg-types|pgpass|pg-connection-string)\//.test(url)],
  ["Prisma", (_name, url) => /node_modules\/(@prisma|\.prisma)\//.test(url) || url.includes("/generated/prisma")],
  ["PGlite", (_name, url) => url.includes("@electric-sql/pglite")],
  ["WebAssembly (PGlite's PostgreSQL; Prisma's query compiler)", (_name, url) => url.startsWith("wasm://")],
  ["listener matchers (Bolt)", (_name, url) => url.includes("@slack/bolt/dist/middleware/builtin")],
  ["our listeners", (_name, url) => url.includes("/slack/listeners/")],
  ["Bolt App.processEvent and middleware", (_name, url) => /@slack\/bolt\/dist\/(App|middleware\/process|helpers)/.test(url)],
  ["receiver (ours: checks, body read, ack)", (_name, url) => /\/(slack\/requestChecks|slack\/httpReceiver|http\/server)\./.test(url)],
  [
    "receiver (Bolt: HTTPReceiver, raw-body)",
    (_name, url) => url.includes("@slack/bolt/dist/receivers") || url.includes("node_modules/raw-body"),
  ],
  ["Web API client (guard, pool)", (_name, url) => url.includes("@slack/web-api") || url.includes("/slack/text.")],
  ["logging (pino)", (_name, url) => url.includes("node_modules/pino")],
  ["other app code", (_name, url) => isOwnCode(url)],
];

function byArea(profile: CpuProfile, byId: Map<number, ProfileNode>, parent: Map<number, number>): Map<string, number> {
  const areaOfNode = new Map<number, number>();
  const areaOf = (id: number): number => {
    const known = areaOfNode.get(id);
    if (known !== undefined) return known;
    // The area earliest in AREAS that any frame of the stack belongs to.
    let best = AREAS.length;
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const { functionName, url } = byId.get(node)!.callFrame;
      const index = AREAS.findIndex(([, test]) => test(functionName, url));
      if (index >= 0 && index < best) best = index;
    }
    areaOfNode.set(id, best);
    return best;
  };
  const result = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const name = byId.get(id)!.callFrame.functionName;
    const us = profile.timeDeltas[i] ?? 0;
    if (name === "(idle)") return result.set("(idle)", (result.get("(idle)") ?? 0) + us);
    const index = areaOf(id);
    const area =
      index < AREAS.length
        ? AREAS[index]![0]
        : name === "(garbage collector)"
          ? "(garbage collector)"
          : "Node core, V8, other packages (HTTP, streams, timers)";
    result.set(area, (result.get(area) ?? 0) + us);
  });
  return result;
}
