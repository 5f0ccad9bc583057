// A fake of GitHub's REST API on 127.0.0.1: issues (list by label, create, read one with an ETag
// and 304 on If-None-Match, close and reopen from the test) and repository contents (read,
// create, update with sha), plus failures on demand: 500s, a 403 rate limit with reset headers,
// 429 with retry-after, 422. It also delivers webhooks, signed as GitHub signs them.
import { createHash, createHmac, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { listen, readBody, sendJson } from "./http.js";
import { stringParam, WrongParamType } from "./wireParams.js";

export interface GitHubCall {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
  /** The conditional request's ETag, when one was sent. */
  ifNoneMatch?: string;
  /** What the fake answered (set once answered). */
  status?: number;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  html_url: string;
  repo: string;
  state?: "open" | "closed";
  updated_at?: string;
  closed_at?: string | null;
  /** Why it was closed (completed, not_planned); null while open. */
  state_reason?: string | null;
  /** Deleted on GitHub: reads answer 410 Gone. */
  deleted?: boolean;
}

type Failure =
  | { status: 500 | 502 | 422 }
  /** The request takes effect, but the answer is lost: as when a connection drops after GitHub did the work. */
  | { status: 502; afterApplying: true }
  | { status: 403; rateLimitResetInSeconds: number }
  | { status: 429; retryAfter: number };

/**
 * A token GitHub accepts. Classic tokens carry scopes (GitHub sends them in x-oauth-scopes on every
 * answer); fine-grained tokens carry per-repository permissions and no such header, and a write
 * they are not permitted gets 403 "Resource not accessible by personal access token".
 */
export type FakeToken =
  { kind: "classic"; scopes: string[] } | { kind: "fine-grained"; issues: "read" | "write"; contents: "read" | "write" };

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export class FakeGitHub {
  readonly calls: GitHubCall[] = [];
  readonly issues: FakeIssue[] = [];
  /** "owner/repo:path" (main) or "owner/repo:branch:path" -> { content (utf8), sha } */
  readonly files = new Map<string, { content: string; sha: string }>();
  readonly branches = new Set<string>(["main"]);
  readonly pulls: { number: number; head: string; base: string; title: string; html_url: string }[] = [];
  private readonly failures: { match: RegExp; failure: Failure }[] = [];
  /** Tokens GitHub accepts; any other gets 401 Bad credentials. */
  readonly tokens = new Map<string, FakeToken>([["ghp_test", { kind: "classic", scopes: ["repo"] }]]);
  /** Repositories that do not exist (or the token cannot see): GitHub answers 404 about them. */
  readonly missingRepositories = new Set<string>();
  /** Public repositories ("owner/name"); every other one is private, as GitHub's `private` field says. */
  readonly publicRepositories = new Set<string>();
  private readonly createdAt = new Map<number, string>();
  /** The If-None-Match of the request being answered. */
  private ifNoneMatch: string | undefined;
  private seq = 0;
  url = "";
  /** GitHub's clock, for issues' updated_at and closed_at (tests move it along with the bot's). */
  now: () => Date = () => new Date();
  private closeServer: () => Promise<void> = async () => {};

  static async start(): Promise<FakeGitHub> {
    const fake = new FakeGitHub();
    const { url, close } = await listen((req, res) => void fake.handle(req, res));
    fake.url = url;
    fake.closeServer = close;
    return fake;
  }

  /** The next `times` requests whose "METHOD /path" matches fail this way. */
  failNext(match: RegExp, failure: Failure, times = 1) {
    for (let i = 0; i < times; i++) this.failures.push({ match, failure });
  }

  /** GitHub is healthy again. */
  clearFailures() {
    this.failures.length = 0;
  }

  /** Requests that created something ("POST /repos/acme/incidents/issues" and the like). */
  writes() {
    return this.calls.filter((c) => c.method !== "GET");
  }

  close() {
    return this.closeServer();
  }

  /** Reads of one issue ("GET /repos/acme/incidents/issues/3"), with the If-None-Match they sent and what they got. */
  issueReads(number?: number) {
    return this.calls.filter(
      (c) => c.method === "GET" && /\/issues\/\d+$/.test(c.path) && (number === undefined || c.path.endsWith(`/issues/${number}`)),
    );
  }

  /** Someone closes (or reopens) the issue on GitHub. Returns the issue as GitHub would now show it. */
  setIssueState(number: number, state: "open" | "closed") {
    const issue = this.issues.find((i) => i.number === number);
    if (!issue) throw new Error(`no issue #${number}`);
    const at = this.now().toISOString();
    issue.state = state;
    issue.updated_at = at;
    issue.closed_at = state === "closed" ? at : null;
    return this.issueJson(issue);
  }

  /**
   * Delivers an `issues` webhook for the issue as it is now, signed with `secret` as GitHub signs
   * (X-Hub-Signature-256: sha256=HMAC-SHA256 of the raw body). `signature` overrides the header
   * (null: none). The same `delivery` id and body again is a redelivery.
   */
  async deliverWebhook(
    url: string,
    options: {
      secret: string;
      action: string;
      number: number;
      event?: string;
      signature?: string | null;
      delivery?: string;
      body?: string;
    },
  ) {
    const issue = this.issues.find((i) => i.number === options.number);
    const body =
      options.body ??
      JSON.stringify({
        action: options.action,
        issue: issue ? this.issueJson(issue) : { number: options.number },
        repository: {
          id: 1,
          name: issue?.repo.split("/")[1],
          full_name: issue?.repo ?? "acme/incidents",
          owner: { login: issue?.repo.split("/")[0] ?? "acme" },
        },
        sender: { login: "octocat", id: 1, type: "User" },
      });
    const signature =
      options.signature === undefined ? `sha256=${createHmac("sha256", options.secret).update(body).digest("hex")}` : options.signature;
    const delivery = options.delivery ?? randomUUID();
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "GitHub-Hookshot/044aadd",
        "x-github-event": options.event ?? "issues",
        "x-github-delivery": delivery,
        "x-github-hook-id": "292430182",
        ...(signature === null ? {} : { "x-hub-signature-256": signature }),
      },
      body,
    });
    return { status: response.status, body: await response.text(), delivery, payload: body };
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", this.url);
    const method = req.method ?? "GET";
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    const call: GitHubCall = {
      method,
      path: url.pathname + url.search,
      body,
      ...(req.headers["if-none-match"] ? { ifNoneMatch: req.headers["if-none-match"] } : {}),
    };
    this.calls.push(call);
    res.once("finish", () => (call.status = res.statusCode));

    const key = `${method} ${url.pathname}`;
    const index = this.failures.findIndex((f) => f.match.test(key));
    const failure = index >= 0 ? this.failures.splice(index, 1)[0]!.failure : undefined;
    if (failure && !("afterApplying" in failure)) {
      if (failure.status === 403) {
        const reset = Math.floor(Date.now() / 1000) + failure.rateLimitResetInSeconds;
        return sendJson(
          res,
          403,
          { message: "API rate limit exceeded" },
          { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset), "x-ratelimit-limit": "5000" },
        );
      }
      if (failure.status === 429)
        return sendJson(res, 429, { message: "Too many requests" }, { "retry-after": String(failure.retryAfter) });
      if (failure.status === 422) return sendJson(res, 422, { message: "Validation Failed", errors: [{ code: "invalid" }] });
      return sendJson(res, failure.status, { message: "Server Error" });
    }
    const token = this.tokens.get((req.headers.authorization ?? "").replace(/^(token|Bearer) /, ""));
    if (!token) return sendJson(res, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" });
    const scopeHeaders: Record<string, string> = token.kind === "classic" ? { "x-oauth-scopes": token.scopes.join(", ") } : {};
    const repo = /^\/repos\/([^/]+\/[^/]+)/.exec(decodeURIComponent(url.pathname))?.[1];
    if (repo && this.missingRepositories.has(repo)) return sendJson(res, 404, { message: "Not Found" }, scopeHeaders);
    const refused = this.refusedPermission(token, method, url.pathname);
    if (refused) {
      return sendJson(
        res,
        403,
        { message: "Resource not accessible by personal access token" },
        { "x-accepted-github-permissions": `${refused}=write` },
      );
    }
    this.ifNoneMatch = req.headers["if-none-match"];
    const answer = this.routeOrRefuse(method, url, body);
    answer.headers = { ...scopeHeaders, ...answer.headers };
    if (failure) return sendJson(res, failure.status, { message: "Bad Gateway" });
    if (answer.status === 304) return void res.writeHead(304, answer.headers).end();
    sendJson(res, answer.status, answer.body, answer.headers);
  }

  /** The permission a fine-grained token lacks for this write, if it lacks one. */
  private refusedPermission(token: FakeToken, method: string, pathname: string): "issues" | "contents" | undefined {
    if (token.kind !== "fine-grained" || method === "GET") return undefined;
    if (/\/issues(\/\d+)?$/.test(pathname) && token.issues !== "write") return "issues";
    if (/\/contents\//.test(pathname) && token.contents !== "write") return "contents";
    return undefined;
  }

  /** The route's answer; a string field given as another JSON type is refused with 422, as GitHub's schema check does. */
  private routeOrRefuse(method: string, url: URL, body: Record<string, unknown> | null): Answer {
    try {
      return this.route(method, url, body);
    } catch (error) {
      if (!(error instanceof WrongParamType)) throw error;
      const message = `Invalid request.\n\nFor 'properties/${error.param}', ${JSON.stringify(error.value)} is not a string.`;
      return { status: 422, body: { message, status: "422" } };
    }
  }

  private route(method: string, url: URL, body: Record<string, unknown> | null): Answer {
    let m: RegExpExecArray | null;
    // Clients may encode slashes inside a parameter (a ref, a file path) as %2F; GitHub accepts both.
    const pathname = decodeURIComponent(url.pathname);
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues$/.exec(pathname))) {
      const repo = m[1]!;
      if (method === "POST") {
        if (typeof body?.title !== "string" && typeof body?.title !== "number") {
          return { status: 422, body: { message: 'Invalid request.\n\n"title" wasn\'t supplied.', status: "422" } };
        }
        const issue: FakeIssue = {
          number: ++this.seq,
          title: String(body?.title ?? ""),
          body: stringParam(body, "body") ?? "",
          labels: (body?.labels as string[] | undefined) ?? [],
          assignees: (body?.assignees as string[] | undefined) ?? [],
          html_url: `https://github.com/${repo}/issues/${this.seq}`,
          repo,
        };
        this.issues.push(issue);
        this.createdAt.set(issue.number, this.now().toISOString());
        return { status: 201, body: this.issueJson(issue) };
      }
      const wanted = (url.searchParams.get("labels") ?? "").split(",").filter(Boolean);
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      const matching = this.issues.filter((i) => i.repo === repo && wanted.every((l) => i.labels.includes(l))).reverse();
      const slice = matching.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < matching.length) {
        const next = new URL(url);
        next.searchParams.set("page", String(page + 1));
        headers.link = `<${next.toString()}>; rel="next"`;
      }
      return { status: 200, body: slice.map((i) => this.issueJson(i)), headers };
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)$/.exec(pathname)) && method === "PATCH") {
      // As GitHub: the fields given replace the issue's; the answer is the issue after the change.
      const issue = this.issues.find((i) => i.repo === m![1] && i.number === Number(m![2]));
      if (!issue || issue.deleted) return { status: 404, body: { message: "Not Found" } };
      if (Array.isArray(body?.assignees)) issue.assignees = body.assignees as string[];
      const at = this.now().toISOString();
      if (body?.state === "closed" || body?.state === "open") {
        if (body.state !== (issue.state ?? "open")) issue.closed_at = body.state === "closed" ? at : null;
        issue.state = body.state;
        issue.state_reason = body.state === "closed" ? (stringParam(body, "state_reason") ?? "completed") : null;
      }
      issue.updated_at = at;
      return { status: 200, body: this.issueJson(issue) };
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)$/.exec(pathname)) && method === "GET") {
      const issue = this.issues.find((i) => i.repo === m![1] && i.number === Number(m![2]));
      if (!issue) return { status: 404, body: { message: "Not Found" } };
      if (issue.deleted) return { status: 410, body: { message: "This issue was deleted" } };
      const json = this.issueJson(issue);
      // Like GitHub: a weak ETag of the representation, and 304 with no body when it still matches.
      const etag = `W/"${createHash("sha256").update(JSON.stringify(json)).digest("hex").slice(0, 32)}"`;
      if (this.ifNoneMatch === etag) return { status: 304, body: null, headers: { etag } };
      return { status: 200, body: json, headers: { etag } };
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/contents\/(.+)$/.exec(pathname))) {
      const branch = stringParam(body, "branch") ?? url.searchParams.get("ref") ?? "main";
      const filePath = m[2]!;
      const fileKey = `${m[1]}:${branch === "main" ? "" : `${branch}:`}${filePath}`;
      const existing = this.files.get(fileKey);
      if (method === "GET") {
        if (!existing) return { status: 404, body: { message: "Not Found" } };
        return {
          status: 200,
          body: {
            type: "file",
            sha: existing.sha,
            content: Buffer.from(existing.content).toString("base64"),
            encoding: "base64",
            path: filePath,
          },
        };
      }
      if (method === "PUT") {
        if (typeof body?.message !== "string" || typeof body?.content !== "string") {
          return { status: 422, body: { message: 'Invalid request.\n\n"content", "message" weren\'t supplied.', status: "422" } };
        }
        if (existing && body?.sha !== existing.sha)
          return { status: 409, body: { message: `${filePath} does not match ${String(body?.sha)}` } };
        if (!existing && body?.sha) return { status: 422, body: { message: "sha given for a new file" } };
        const sha = `sha${++this.seq}`;
        this.files.set(fileKey, { content: Buffer.from(String(body?.content ?? ""), "base64").toString("utf8"), sha });
        return {
          status: existing ? 200 : 201,
          body: {
            content: { path: filePath, sha, html_url: `https://github.com/${m[1]}/blob/${branch}/${filePath}` },
            commit: { sha: `commit${this.seq}` },
          },
        };
      }
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)$/.exec(pathname)) && method === "GET") {
      // As GitHub: `permissions` is what the token's user may do there.
      const isPublic = this.publicRepositories.has(`${m[1]}/${m[2]}`);
      const visibility = { private: !isPublic, visibility: isPublic ? "public" : "private" };
      const permissions = { admin: false, push: true, pull: true };
      return { status: 200, body: { name: m[2], full_name: `${m[1]}/${m[2]}`, default_branch: "main", ...visibility, permissions } };
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/git\/ref\/heads\/(.+)$/.exec(pathname))) {
      return this.branches.has(m[2]!)
        ? { status: 200, body: { ref: `refs/heads/${m[2]}`, object: { sha: "basesha", type: "commit" } } }
        : { status: 404, body: { message: "Not Found" } };
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/git\/refs$/.exec(pathname)) && method === "POST") {
      const name = (stringParam(body, "ref") ?? "").replace(/^refs\/heads\//, "");
      if (this.branches.has(name)) return { status: 422, body: { message: "Reference already exists" } };
      this.branches.add(name);
      return { status: 201, body: { ref: body?.ref, object: { sha: body?.sha } } };
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/pulls$/.exec(pathname))) {
      if (method === "GET") {
        const head = url.searchParams.get("head")?.split(":")[1];
        return { status: 200, body: this.pulls.filter((p) => !head || p.head === head) };
      }
      const pull = {
        number: ++this.seq,
        head: String(body?.head),
        base: String(body?.base),
        title: String(body?.title),
        html_url: `https://github.com/${m[1]}/pull/${this.seq}`,
      };
      this.pulls.push(pull);
      return { status: 201, body: pull };
    }
    return { status: 404, body: { message: "Not Found" } };
  }

  private issueJson(issue: FakeIssue) {
    return {
      number: issue.number,
      title: issue.title,
      body: issue.body,
      html_url: issue.html_url,
      state: issue.state ?? "open",
      created_at: this.createdAt.get(issue.number) ?? new Date(0).toISOString(),
      updated_at: issue.updated_at ?? this.createdAt.get(issue.number) ?? new Date(0).toISOString(),
      closed_at: issue.closed_at ?? null,
      state_reason: issue.state === "closed" ? (issue.state_reason ?? "completed") : null,
      labels: issue.labels.map((name) => ({ name })),
      assignees: issue.assignees.map((login) => ({ login })),
    };
  }
}
