// The public status page's routes, served by the bot's one HTTP server in both Slack modes when
// STATUS_PAGE=true: GET (and HEAD) /status, /status/feed.atom and Statuspage's public API v2
// (/api/v2/summary.json, status.json, incidents.json and the rest: statuspageApi.ts). Any other
// path is the server's 404. Every answer comes from one cached read (StatusPageReadModel), carries
// an ETag (a matching If-None-Match gets 304 and no body) and a short max-age, and says what it is
// (nosniff; the HTML page a strict Content-Security-Policy).
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Route } from "../http/server.js";
import type { StatusPageReader } from "../incidents/ports/statusPageReader.js";
import { STATUS_PAGE_CACHE_MS, type StatusPageSnapshot } from "../incidents/publicStatus.js";
import { renderAtomFeed } from "./atom.js";
import { renderStatusHtml, STATUS_PAGE_CSP } from "./html.js";
import { STATUSPAGE_API_DOCUMENTS } from "./statuspageApi.js";

export interface StatusPageRouteOptions {
  readModel: StatusPageReader;
  /** The page's name (STATUS_PAGE_TITLE). */
  title: string;
  timeZone: string;
  /** Seconds clients and proxies may reuse an answer (default: the read model's cache window). */
  maxAgeSeconds?: number;
}

interface Rendered {
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** A stable id for the page, from its name: 12 characters like Statuspage's page ids. */
export const statusPageId = (title: string) =>
  createHash("sha256").update(`incident-bot status page\u0000${title}`).digest("hex").slice(0, 12);

/** A stable UUID (name-based, version 5 layout) for the Atom feed's id. */
export function statusFeedUuid(title: string): string {
  const hex = createHash("sha1").update(`incident-bot status feed\u0000${title}`).digest("hex");
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The page's absolute address as this client reached it (for the feed's links and the JSON's url):
 * the Host header when it is a plain host name, https when a proxy in front says so.
 */
export function baseUrlOf(req: IncomingMessage): string {
  const host = req.headers.host && HOST.test(req.headers.host) ? req.headers.host.toLowerCase() : "localhost";
  const forwarded = String(req.headers["x-forwarded-proto"] ?? "")
    .split(",")[0]
    ?.trim()
    .toLowerCase();
  return `${forwarded === "https" ? "https" : "http"}://${host}`;
}

const etagOf = (body: string) => `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

export function statusPageRoutes(options: StatusPageRouteOptions): Route[] {
  const maxAge = options.maxAgeSeconds ?? Math.round(STATUS_PAGE_CACHE_MS / 1000);
  const pageId = statusPageId(options.title);
  const feedUuid = statusFeedUuid(options.title);
  const apiOptions = (req: IncomingMessage) => ({ pageId, name: options.title, timeZone: options.timeZone, baseUrl: baseUrlOf(req) });

  const serve =
    (render: (snapshot: StatusPageSnapshot, req: IncomingMessage) => Rendered | Promise<Rendered>) =>
    async (req: IncomingMessage, res: ServerResponse) => {
      const snapshot = await options.readModel.snapshot();
      const { contentType, body, headers = {} } = await render(snapshot, req);
      const etag = etagOf(body);
      const common = {
        etag,
        "cache-control": `public, max-age=${maxAge}`,
        // The feed's and the JSON's links follow the address the client used.
        vary: "X-Forwarded-Proto",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        ...headers,
      };
      if (matches(req.headers["if-none-match"], etag)) {
        res.writeHead(304, common);
        res.end();
        return;
      }
      res.writeHead(200, { ...common, "content-type": contentType, "content-length": String(Buffer.byteLength(body)) });
      res.end(req.method === "HEAD" ? undefined : body);
    };

  const pages: Array<{ path: string; render: (snapshot: StatusPageSnapshot, req: IncomingMessage) => Rendered | Promise<Rendered> }> = [
    {
      path: "/status",
      render: async (snapshot) => ({
        contentType: "text/html; charset=utf-8",
        body: await renderStatusHtml(snapshot, { title: options.title, timeZone: options.timeZone }),
        headers: { "content-security-policy": STATUS_PAGE_CSP },
      }),
    },
    {
      path: "/status/feed.atom",
      render: (snapshot, req) => ({
        contentType: "application/atom+xml; charset=utf-8",
        body: renderAtomFeed(snapshot, { title: options.title, feedUuid, baseUrl: baseUrlOf(req) }),
        headers: { "content-security-policy": "default-src 'none'" },
      }),
    },
    ...Object.entries(STATUSPAGE_API_DOCUMENTS).map(([path, document]) => ({
      path,
      render: (snapshot: StatusPageSnapshot, req: IncomingMessage) => ({
        contentType: "application/json; charset=utf-8",
        body: JSON.stringify(document(snapshot, apiOptions(req))),
        // Public data that status widgets on other sites read, as they do Statuspage's.
        headers: { "access-control-allow-origin": "*", "content-security-policy": "default-src 'none'" },
      }),
    })),
  ];
  return pages.flatMap(({ path, render }) => (["GET", "HEAD"] as const).map((method) => ({ method, path, handle: serve(render) })));
}
