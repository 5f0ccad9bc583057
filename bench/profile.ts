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
  const src = url.indexOf("/src/");
  if (src >= 0) return `app ${url.slice(src + 1).split("/").slice(0, 2).join("/")}`;
  return url.replace(/^file:\/\//, "");
}

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
    const where = frame.url ? `${frame.url.replace(/^.*\/(node_modules|src|bench|test)\//, "$1/")}:${frame.lineNumber + 1}` : "";
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
    const where = frame.url ? `${frame.url.replace(/^.*\/(node_modules|src|bench|test)\//, "$1/")}:${frame.lineNumber + 1}` : "";
    return `${frame.functionName || "(anonymous)"} ${where}`.trim();
  };
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const n = byId.get(node)!;
      if (!n.callFrame.url.includes("/src/")) continue;
      const key = keyOf(n);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  });

  const fmt = (entries: Map<string, number>) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => `  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`)
      .join("\n");
  return [
    `profile ${file}: ${(total / 1000).toFixed(0)} ms wall`,
    "self time by package:",
    fmt(byPackage),
    "self time by function:",
    fmt(byFunction),
    "inclusive time of the app's own functions (src/):",
    fmt(inclusive),
  ].join("\n");
}
