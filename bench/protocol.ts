// What bench/run.ts and the server process it spawns (bench/server.js) say to each other over
// Node's IPC channel. The server runs in its own process so the bot under test gets a core of its
// own and its RSS is its own, not the load generator's or the fakes'.

export type ServerConfig =
  | {
      mode: "bot";
      database: { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };
      slackApiUrl: string;
      githubUrl: string;
      signingSecret: string;
    }
  | {
      /** A bare Bolt app: HTTPReceiver, processBeforeResponse, no-op listeners. */
      mode: "bare";
      slackApiUrl: string;
      signingSecret: string;
    };

export const SERVER_CONFIG_VARIABLE = "INCIDENT_BOT_BENCH_SERVER";

export interface ReadyMessage {
  type: "ready";
  port: number;
  /** Process start -> our module running (Node + tsx boot). */
  bootMs: number;
  /** Importing the app's modules (tsx compiles them on first use). */
  importMs: number;
  /** Calling startBot (or app.start) -> it resolved. */
  startMs: number;
  /** Calling startBot -> first 200 from GET /health (bare app: same as startMs). */
  healthyMs: number;
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** The process's highest RSS since it started (the kernel's VmHWM): start-up, initdb, migrations included. */
  peakRss: number;
  /** Added by run.ts: the highest RSS of the server and its child processes together, sampled from spawn. */
  peakWithChildren?: number;
}

export interface RssSummary {
  peakRss: number;
  meanRss: number;
  samples: number;
  peakHeapUsed: number;
  /** CPU time the server process used between rssStart and rssStop. */
  cpuUserMs: number;
  cpuSystemMs: number;
  wallMs: number;
}

export interface EntriesSummary {
  total: number;
  byKind: Record<string, number>;
  /** ts of every stored message entry (one per row). */
  messageTs: string[];
}

export type Request =
  | { op: "idle" }
  | { op: "memory"; settleMs?: number }
  | { op: "rssStart"; everyMs: number }
  | { op: "rssStop" }
  | { op: "cpu" }
  /** CPU profile of the server's main thread (node:inspector), written to `file` on profileStop. */
  | { op: "profileStart" }
  | { op: "profileStop"; file: string }
  | { op: "incident" }
  | { op: "entries"; incidentId: string }
  | { op: "stop" };

export interface Reply {
  type: "reply";
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}
