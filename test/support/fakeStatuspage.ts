// A fake of Atlassian Statuspage's REST API (v1) on 127.0.0.1, as strict as the real one where it
// matters to the bot: `Authorization: OAuth <key>` (401 otherwise), 404 for another page or an
// unknown incident, JSON bodies wrapped in {"incident": {...}}, 422 for what Statuspage refuses
// (no name, a name over 255 or a body over 25,000 characters, an unknown status or impact,
// metadata whose top-level values are not objects). Incidents: create (201), list (newest first,
// limit <= 100, page), get, and PATCH, which adds an incident update when it carries a body.
// Failures on demand, in order: the next request (of a method) answered 500, before or after doing
// the work (an answer lost), or 429 with Retry-After. A slow answer on demand: the next request of
// a method is held until the test releases it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { listen, readBody, sendJson } from "./http.js";
import { stringParam } from "./wireParams.js";

export interface StatuspageCall {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
  /** What the fake answered. */
  status: number;
  /** When it answered (epoch ms). */
  at: number;
}

/** A request held unanswered: `received` when it arrives, answered once released. */
export interface HeldRequest {
  received: Promise<void>;
  release(): void;
}

/** A failure for the next request (or the next with this method: failures are used in order). */
type Failure = ({ status: 500; afterProcessing?: boolean } | { status: 429; retryAfter: number }) & { method?: "GET" | "POST" | "PATCH" };

interface FakeIncidentUpdate {
  id: string;
  incident_id: string;
  status: string;
  body: string;
  created_at: string;
  updated_at: string;
  display_at: string;
  affected_components: unknown[];
  deliver_notifications: boolean;
}

export interface FakeStatuspageIncident {
  id: string;
  name: string;
  status: string;
  impact: string;
  impact_override: string | null;
  created_at: string;
  updated_at: string;
  monitoring_at: string | null;
  resolved_at: string | null;
  started_at: string;
  shortlink: string;
  page_id: string;
  metadata: Record<string, Record<string, unknown>>;
  incident_updates: FakeIncidentUpdate[];
  components: unknown[];
}

const REALTIME_STATUSES = ["investigating", "identified", "monitoring", "resolved"];
const IMPACTS = ["none", "maintenance", "minor", "major", "critical"];

export class FakeStatuspage {
  readonly calls: StatuspageCall[] = [];
  /** Newest first, as Statuspage lists them. */
  readonly incidents: FakeStatuspageIncident[] = [];
  private failures: Failure[] = [];
  private holds: { method: string; arrived: () => void; released: Promise<void> }[] = [];
  private nextId = 1;

  private constructor(
    private readonly server: Awaited<ReturnType<typeof listen>>,
    readonly apiKey: string,
    readonly pageId: string,
  ) {}

  static async start(options: { apiKey?: string; pageId?: string } = {}): Promise<FakeStatuspage> {
    // The handler runs only for a request, after `fake` is set.
    const server = await listen((req, res) => void fake.handle(req, res));
    const fake = new FakeStatuspage(server, options.apiKey ?? "sp-test-key", options.pageId ?? "kctbh9vrtdwd");
    return fake;
  }

  /** STATUSPAGE_API_URL for the bot. */
  get apiUrl() {
    return `${this.server.url}/v1/`;
  }

  /** The next request with this method waits, unanswered, until released. */
  holdNext(method: "GET" | "POST" | "PATCH"): HeldRequest {
    let arrived!: () => void;
    let release!: () => void;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ method, arrived, released });
    return { received, release };
  }

  /** The next requests fail, in this order. */
  failNext(...failures: Failure[]) {
    this.failures.push(...failures);
  }

  close() {
    return this.server.close();
  }

  private id() {
    return `fk${(this.nextId++).toString(36).padStart(10, "0")}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://fake");
    let body: Record<string, unknown> | null = null;
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      this.calls.push({ method: req.method ?? "", path: url.pathname + url.search, body, status, at: Date.now() });
      sendJson(res, status, payload, headers);
    };
    if (req.headers.authorization !== `OAuth ${this.apiKey}`) return answer(401, { error: "Could not authenticate" });
    if (raw) {
      if (!String(req.headers["content-type"]).startsWith("application/json"))
        return answer(400, { error: "Content-Type does not match the body" });
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return answer(400, { error: "Malformed JSON" });
      }
    }
    const hold = this.holds.findIndex((h) => h.method === req.method);
    if (hold >= 0) {
      const [{ arrived, released }] = this.holds.splice(hold, 1) as [(typeof this.holds)[number]];
      arrived();
      await released;
    }
    const head = this.failures[0];
    const failure = head && (!head.method || head.method === req.method) ? this.failures.shift() : undefined;
    if (failure?.status === 429) return answer(429, { error: "Rate limit exceeded" }, { "retry-after": String(failure.retryAfter) });
    if (failure?.status === 500 && !failure.afterProcessing) return answer(500, { error: "Internal Server Error" });

    const match = /^\/v1\/pages\/([^/]+)\/incidents(?:\/([^/.]+))?(?:\.json)?$/.exec(url.pathname);
    if (!match || match[1] !== this.pageId) return answer(404, { error: "The requested resource could not be found." });
    const incidentId = match[2];
    const result = this.route(req.method ?? "", incidentId, url, body);
    if (failure?.status === 500) return answer(500, { error: "Internal Server Error" }); // the work was done; the answer is lost
    return answer(result.status, result.body);
  }

  private route(
    method: string,
    incidentId: string | undefined,
    url: URL,
    body: Record<string, unknown> | null,
  ): { status: number; body: unknown } {
    const notFound = { status: 404, body: { error: "The requested resource could not be found." } };
    if (!incidentId && method === "GET") {
      const limit = Math.min(Number(url.searchParams.get("limit") ?? 100) || 100, 100);
      const page = Math.max(Number(url.searchParams.get("page") ?? 1) || 1, 1);
      return { status: 200, body: this.incidents.slice((page - 1) * limit, page * limit) };
    }
    if (!incidentId && method === "POST") return this.create(body);
    const incident = this.incidents.find((i) => i.id === incidentId);
    if (!incident) return notFound;
    if (method === "GET") return { status: 200, body: incident };
    if (method === "PATCH") return this.patch(incident, body);
    return { status: 405, body: { error: "Method not allowed" } };
  }

  private refusal(input: Record<string, unknown>, creating: boolean): string | null {
    if (creating && (typeof input.name !== "string" || !input.name.trim())) return "Name can't be blank";
    if (input.name !== undefined && (typeof input.name !== "string" || input.name.length > 255))
      return "Name is too long (maximum is 255 characters)";
    if (input.status !== undefined && (typeof input.status !== "string" || !REALTIME_STATUSES.includes(input.status)))
      return "Status is not included in the list";
    if (input.impact_override !== undefined && (typeof input.impact_override !== "string" || !IMPACTS.includes(input.impact_override)))
      return "Impact override is not included in the list";
    if (input.body !== undefined && (typeof input.body !== "string" || input.body.length > 25_000))
      return "Body is too long (maximum is 25000 characters)";
    if (input.metadata !== undefined) {
      const metadata = input.metadata;
      if (!metadata || typeof metadata !== "object" || Array.isArray(metadata)) return "Metadata must be an object";
      if (Object.values(metadata).some((v) => !v || typeof v !== "object" || Array.isArray(v)))
        return "Metadata top-level values must be objects";
    }
    return null;
  }

  private addUpdate(incident: FakeStatuspageIncident, status: string, text: string, at: string) {
    incident.incident_updates.unshift({
      id: this.id(),
      incident_id: incident.id,
      status,
      body: text,
      created_at: at,
      updated_at: at,
      display_at: at,
      affected_components: [],
      deliver_notifications: true,
    });
  }

  private create(body: Record<string, unknown> | null) {
    const input = body?.incident as Record<string, unknown> | undefined;
    if (!input || typeof input !== "object") return { status: 400, body: { error: "incident is missing" } };
    const refusal = this.refusal(input, true);
    if (refusal) return { status: 422, body: { error: [refusal] } };
    const at = new Date().toISOString();
    // refusal() let through only string statuses and impacts.
    const status = stringParam(input, "status") ?? "investigating";
    const id = this.id();
    const incident: FakeStatuspageIncident = {
      id,
      name: String(input.name),
      status,
      impact: stringParam(input, "impact_override") ?? "none",
      impact_override: (input.impact_override as string | undefined) ?? null,
      created_at: at,
      updated_at: at,
      monitoring_at: status === "monitoring" ? at : null,
      resolved_at: status === "resolved" ? at : null,
      started_at: at,
      shortlink: `https://stspg.io/${id}`,
      page_id: this.pageId,
      metadata: (input.metadata as FakeStatuspageIncident["metadata"] | undefined) ?? {},
      incident_updates: [],
      components: [],
    };
    if (typeof input.body === "string" && input.body) this.addUpdate(incident, status, input.body, at);
    this.incidents.unshift(incident);
    return { status: 201, body: incident };
  }

  private patch(incident: FakeStatuspageIncident, body: Record<string, unknown> | null) {
    const input = body?.incident as Record<string, unknown> | undefined;
    if (!input || typeof input !== "object") return { status: 400, body: { error: "incident is missing" } };
    const refusal = this.refusal(input, false);
    if (refusal) return { status: 422, body: { error: [refusal] } };
    const at = new Date().toISOString();
    if (typeof input.name === "string") incident.name = input.name;
    if (typeof input.status === "string") {
      incident.status = input.status;
      if (input.status === "monitoring") incident.monitoring_at ??= at;
      if (input.status === "resolved") incident.resolved_at ??= at;
    }
    if (typeof input.body === "string" && input.body) this.addUpdate(incident, incident.status, input.body, at);
    incident.updated_at = at;
    return { status: 200, body: incident };
  }
}
