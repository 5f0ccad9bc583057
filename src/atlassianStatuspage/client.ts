// A small client for Atlassian Statuspage's REST API (https://api.statuspage.io/v1/): JSON bodies,
// `Authorization: OAuth <key>`. The key is only ever put in that header: errors and logs name the
// method and path, never the key.
//
// Retries, and why they differ by request:
// - 420/429 (rate limited) means the request was refused before it did anything: any request is
//   sent again after Retry-After (seconds or an HTTP date), else after a backoff.
// - A 5xx, a timeout or a dropped connection may come after the work was done. A GET is sent
//   again; a POST or PATCH is not (that could create a second incident or update): the caller
//   retries its whole step with `retrying`, which looks at Statuspage again before writing.
// - Statuspage allows 1 request per second per key, measured over a rolling 60 s: the client
//   keeps at most 60 requests in any 60 s, so short bursts go at once and long runs slow down.
import type { IncidentStatus } from "../incidents/model.js";
import type { Impact } from "../incidents/publicStatus.js";
import type { Logger } from "../log.js";

export interface StatuspageIncidentUpdate {
  id: string;
  incident_id: string;
  status: string;
  body: string;
  created_at: string;
  display_at: string;
}

export interface StatuspageIncident {
  id: string;
  name: string;
  status: string;
  impact: string;
  shortlink: string;
  page_id: string;
  created_at: string;
  /** Our own marker, set at creation (top-level values must be objects). */
  metadata?: Record<string, Record<string, unknown>> | null;
  /** Newest first. */
  incident_updates: StatuspageIncidentUpdate[];
}

export interface NewStatuspageIncident {
  name: string;
  status: IncidentStatus;
  impact_override?: Impact;
  body: string;
  metadata: Record<string, Record<string, unknown>>;
}

export interface StatuspageIncidentChange {
  name?: string;
  status: IncidentStatus;
  body: string;
}

export class StatuspageError extends Error {
  constructor(
    message: string,
    readonly details: {
      status?: number;
      /** Worth trying again later (rate limits, 5xx, no answer). */
      retryable: boolean;
      /** Refused before doing anything (rate limit): safe to send again as is. */
      refused?: boolean;
      retryAfterMs?: number;
    },
  ) {
    super(message);
    this.name = "StatuspageError";
  }
}

export interface StatuspageClientOptions {
  apiKey: string;
  pageId: string;
  /** e.g. https://api.statuspage.io/v1/ */
  apiUrl: string;
  logger?: Logger;
  /** Backoff base for retries (doubling per attempt). */
  retryBaseMs?: number;
  /** Tries per request (and per `retrying` step) before giving up until the next sweep. */
  maxAttempts?: number;
  /** How long one request may take. */
  timeoutMs?: number;
  /** Requests allowed per rolling window (Statuspage: 60 per 60 s). */
  rateLimit?: { requests: number; windowMs: number };
}

/** Statuspage's `error` is usually a string; anything else is shown as JSON rather than "[object Object]". */
const stringOrJson = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After is seconds or an HTTP date; either is capped so a bad header cannot stall a sweep. */
function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 120_000) : undefined;
}

export class StatuspageClient {
  private readonly base: string;
  private readonly retryBaseMs: number;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly rateLimit: { requests: number; windowMs: number };
  private readonly sent: number[] = [];

  constructor(private readonly options: StatuspageClientOptions) {
    this.base = options.apiUrl.endsWith("/") ? options.apiUrl : `${options.apiUrl}/`;
    this.retryBaseMs = options.retryBaseMs ?? 1_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.rateLimit = options.rateLimit ?? { requests: 60, windowMs: 60_000 };
  }

  private get pagePath() {
    return `pages/${encodeURIComponent(this.options.pageId)}`;
  }

  /** The page's most recent incidents (newest first), with their metadata and updates. */
  listRecentIncidents(limit = 100): Promise<StatuspageIncident[]> {
    return this.request("GET", `${this.pagePath}/incidents?limit=${limit}&page=1`) as Promise<StatuspageIncident[]>;
  }

  getIncident(id: string): Promise<StatuspageIncident> {
    return this.request("GET", `${this.pagePath}/incidents/${encodeURIComponent(id)}`) as Promise<StatuspageIncident>;
  }

  createIncident(incident: NewStatuspageIncident): Promise<StatuspageIncident> {
    return this.request("POST", `${this.pagePath}/incidents`, { incident }) as Promise<StatuspageIncident>;
  }

  updateIncident(id: string, incident: StatuspageIncidentChange): Promise<StatuspageIncident> {
    return this.request("PATCH", `${this.pagePath}/incidents/${encodeURIComponent(id)}`, { incident }) as Promise<StatuspageIncident>;
  }

  /** Runs a step (look, then write) again while it fails in a way worth retrying, with backoff. */
  async retrying<T>(step: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await step();
      } catch (error) {
        if (!(error instanceof StatuspageError) || !error.details.retryable || attempt >= this.maxAttempts) throw error;
        await this.wait(error, attempt);
      }
    }
  }

  private async wait(error: StatuspageError, attempt: number) {
    const ms = error.details.retryAfterMs ?? this.retryBaseMs * 2 ** (attempt - 1);
    this.options.logger?.warn({ status: error.details.status, attempt, waitMs: ms }, `Statuspage: ${error.message}; trying again`);
    await sleep(ms);
  }

  private async request(method: "GET" | "POST" | "PATCH", path: string, body?: unknown): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(method, path, body);
      } catch (error) {
        if (!(error instanceof StatuspageError) || !error.details.retryable || attempt >= this.maxAttempts) throw error;
        // A write that may have happened is left to the caller's `retrying` step, which looks first.
        if (method !== "GET" && !error.details.refused) throw error;
        await this.wait(error, attempt);
      }
    }
  }

  /** Keeps within the rolling rate limit: waits until the oldest request in the window leaves it. */
  private async takeRateSlot() {
    for (;;) {
      const now = Date.now();
      while (this.sent.length && this.sent[0]! <= now - this.rateLimit.windowMs) this.sent.shift();
      if (this.sent.length < this.rateLimit.requests) {
        this.sent.push(now);
        return;
      }
      await sleep(this.sent[0]! + this.rateLimit.windowMs - now);
    }
  }

  private async send(method: string, path: string, body?: unknown): Promise<unknown> {
    await this.takeRateSlot();
    const what = `${method} /${path.split("?")[0]}`;
    let response: Response;
    try {
      response = await fetch(new URL(path, this.base), {
        method,
        headers: {
          authorization: `OAuth ${this.options.apiKey}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new StatuspageError(
        `${what}: no answer (${(error as Error).name === "TimeoutError" ? `timed out after ${this.timeoutMs} ms` : (error as Error).message})`,
        { retryable: true },
      );
    }
    const text = await response.text().catch(() => "");
    if (response.status === 429 || response.status === 420) {
      throw new StatuspageError(`${what}: rate limited (${response.status})`, {
        status: response.status,
        retryable: true,
        refused: true,
        retryAfterMs: retryAfterMs(response.headers.get("retry-after")),
      });
    }
    if (!response.ok) {
      let reason = text.slice(0, 200);
      try {
        const parsed = JSON.parse(text) as { error?: unknown };
        if (parsed.error) reason = Array.isArray(parsed.error) ? parsed.error.join("; ") : stringOrJson(parsed.error);
      } catch {
        // not JSON: keep the start of the text
      }
      throw new StatuspageError(`${what}: ${response.status} ${reason}`.trim(), {
        status: response.status,
        retryable: response.status >= 500,
      });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new StatuspageError(`${what}: the answer was not JSON`, { status: response.status, retryable: true });
    }
  }
}
