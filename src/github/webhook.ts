// `POST /github/webhook`: GitHub telling us an action item's issue was closed, reopened or deleted.
// Nothing is read from a delivery before its X-Hub-Signature-256 (HMAC-SHA256 of the raw body with
// GITHUB_WEBHOOK_SECRET) checks out, compared in constant time by Octokit's own `verify`; anything
// unsigned or wrongly signed gets 401 and changes nothing. A redelivery is harmless: the store
// applies an observation of an issue only when it is newer than what it has (src/incidents/followups.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { verify } from "@octokit/webhooks-methods";
import { applyIssueEvent } from "../incidents/followups.js";
import type { IncidentDeps } from "../incidents/deps.js";
import type { Logger } from "../log.js";
import { BodyTooLarge, readBody, sendJson, type Route } from "../http/server.js";

/** GitHub caps payloads at 25 MB, but an `issues` event is a few kilobytes: more is not for us. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const FOLLOWED_ACTIONS = new Set(["closed", "reopened", "deleted", "transferred"]);

interface IssuesPayload {
  action?: string;
  issue?: { number?: number; updated_at?: string; closed_at?: string | null; pull_request?: unknown };
  repository?: { full_name?: string };
}

/** The payload of a verified delivery: JSON, or the `payload` field of a form-encoded one (both are GitHub's content types). */
function parsePayload(raw: string, contentType: string | undefined): IssuesPayload | null {
  try {
    const json = contentType?.startsWith("application/x-www-form-urlencoded") ? new URLSearchParams(raw).get("payload") : raw;
    const value: unknown = JSON.parse(json ?? "");
    return typeof value === "object" && value !== null ? (value as IssuesPayload) : null;
  } catch {
    return null;
  }
}

export function githubWebhookRoute(options: { secret: string; repository: string | undefined; deps: () => IncidentDeps; logger: Logger }): Route {
  const log = options.logger.child({ component: "github-webhook" });
  return {
    method: "POST",
    path: "/github/webhook",
    async handle(req: IncomingMessage, res: ServerResponse) {
      let raw: string;
      try {
        raw = (await readBody(req, WEBHOOK_BODY_LIMIT)).toString("utf8");
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        return sendJson(res, 413, { error: "payload too large" }, { connection: "close" });
      }
      const signature = req.headers["x-hub-signature-256"];
      const valid = typeof signature === "string" && raw.length > 0 && (await verify(options.secret, raw, signature).catch(() => false));
      if (!valid) {
        log.warn({ delivery: req.headers["x-github-delivery"], signed: typeof signature === "string" }, "refused a webhook delivery without a valid signature");
        return sendJson(res, 401, { error: "invalid signature" });
      }
      const event = req.headers["x-github-event"];
      const delivery = req.headers["x-github-delivery"];
      if (event === "ping") return sendJson(res, 200, { ok: true });
      const payload = parsePayload(raw, req.headers["content-type"]);
      if (!payload) return sendJson(res, 400, { error: "the payload is not JSON" });
      if (event !== "issues" || !FOLLOWED_ACTIONS.has(payload.action ?? "")) return void res.writeHead(204).end();
      const { issue, repository } = payload;
      const sameRepository = options.repository && repository?.full_name?.toLowerCase() === options.repository.toLowerCase();
      if (!sameRepository || !issue || typeof issue.number !== "number" || issue.pull_request || !issue.updated_at) return void res.writeHead(204).end();
      const result = await applyIssueEvent(options.deps(), {
        repository: options.repository!,
        issueNumber: issue.number,
        action: payload.action as "closed" | "reopened" | "deleted" | "transferred",
        updatedAt: new Date(issue.updated_at),
        closedAt: issue.closed_at ? new Date(issue.closed_at) : null,
      });
      log.info({ delivery, action: payload.action, issue: issue.number, result }, "webhook delivery handled");
      sendJson(res, 200, { result });
    },
  };
}
