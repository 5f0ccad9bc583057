// A fake of GitHub's REST API on 127.0.0.1: issues (list by label, create) and repository
// contents (read, create, update with sha), plus failures on demand: 500s, a 403 rate limit with
// reset headers, 429 with retry-after, 422.
import type { IncomingMessage, ServerResponse } from "node:http";
import { listen, readBody, sendJson } from "./http.js";

export interface GitHubCall {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  html_url: string;
  repo: string;
}

type Failure = { status: 500 | 502 | 422 } | { status: 403; rateLimitResetInSeconds: number } | { status: 429; retryAfter: number };

export class FakeGitHub {
  readonly calls: GitHubCall[] = [];
  readonly issues: FakeIssue[] = [];
  /** "owner/repo:path" -> { content (utf8), sha } */
  readonly files = new Map<string, { content: string; sha: string }>();
  private readonly failures: { match: RegExp; failure: Failure }[] = [];
  private seq = 0;
  url = "";
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

  /** Requests that created something ("POST /repos/acme/incidents/issues" and the like). */
  writes() {
    return this.calls.filter((c) => c.method !== "GET");
  }

  close() {
    return this.closeServer();
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", this.url);
    const method = req.method ?? "GET";
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    this.calls.push({ method, path: url.pathname + url.search, body });

    const key = `${method} ${url.pathname}`;
    const index = this.failures.findIndex((f) => f.match.test(key));
    if (index >= 0) {
      const { failure } = this.failures.splice(index, 1)[0]!;
      if (failure.status === 403) {
        const reset = Math.floor(Date.now() / 1000) + failure.rateLimitResetInSeconds;
        return sendJson(res, 403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset), "x-ratelimit-limit": "5000" });
      }
      if (failure.status === 429) return sendJson(res, 429, { message: "Too many requests" }, { "retry-after": String(failure.retryAfter) });
      if (failure.status === 422) return sendJson(res, 422, { message: "Validation Failed", errors: [{ code: "invalid" }] });
      return sendJson(res, failure.status, { message: "Server Error" });
    }
    if (req.headers.authorization !== "token ghp_test" && req.headers.authorization !== "Bearer ghp_test") {
      return sendJson(res, 401, { message: "Bad credentials" });
    }

    let m: RegExpExecArray | null;
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues$/.exec(url.pathname))) {
      const repo = m[1]!;
      if (method === "POST") {
        const issue: FakeIssue = {
          number: ++this.seq,
          title: String(body?.title ?? ""),
          body: String(body?.body ?? ""),
          labels: (body?.labels as string[] | undefined) ?? [],
          assignees: (body?.assignees as string[] | undefined) ?? [],
          html_url: `https://github.com/${repo}/issues/${this.seq}`,
          repo,
        };
        this.issues.push(issue);
        return sendJson(res, 201, this.issueJson(issue));
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
      return sendJson(res, 200, slice.map((i) => this.issueJson(i)), headers);
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/contents\/(.+)$/.exec(url.pathname))) {
      const fileKey = `${m[1]}:${decodeURIComponent(m[2]!)}`;
      const existing = this.files.get(fileKey);
      if (method === "GET") {
        if (!existing) return sendJson(res, 404, { message: "Not Found" });
        return sendJson(res, 200, { type: "file", sha: existing.sha, content: Buffer.from(existing.content).toString("base64"), encoding: "base64", path: m[2] });
      }
      if (method === "PUT") {
        if (existing && body?.sha !== existing.sha) return sendJson(res, 409, { message: `${m[2]} does not match ${String(body?.sha)}` });
        if (!existing && body?.sha) return sendJson(res, 422, { message: "sha given for a new file" });
        const sha = `sha${++this.seq}`;
        this.files.set(fileKey, { content: Buffer.from(String(body?.content ?? ""), "base64").toString("utf8"), sha });
        const htmlUrl = `https://github.com/${m[1]}/blob/main/${m[2]}`;
        return sendJson(res, existing ? 200 : 201, { content: { path: m[2], sha, html_url: htmlUrl }, commit: { sha: `commit${this.seq}` } });
      }
    }
    return sendJson(res, 404, { message: "Not Found" });
  }

  private issueJson(issue: FakeIssue) {
    return {
      number: issue.number,
      title: issue.title,
      body: issue.body,
      html_url: issue.html_url,
      state: "open",
      labels: issue.labels.map((name) => ({ name })),
      assignees: issue.assignees.map((login) => ({ login })),
    };
  }
}
