// `POST /github/webhook`: GitHub telling us an action item's issue was closed, reopened or deleted.
// Nothing is read from a delivery before its X-Hub-Signature-256 (HMAC-SHA256 of the raw body with
// GITHUB_WEBHOOK_SECRET) checks out, compared in constant time by Octokit's own `verify`; anything
// unsigned or wrongly signed gets 401 and changes nothing, and a delivery without a well-formed
// signature is refused before its body is read. A redelivery is harmless: the store
// applies an observation of an issue only when it is newer than what it has (src/incidents/followups.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { verify } from "@octokit/webhooks-methods";
import { applyIssueEvent } from "../incidents/followups.js";
import type { IncidentDeps } from "../incidents/deps.js";
import type { Logger } from "../log.js";
import { BodyTooLarge, readBody, sendJson, UnverifiedBodies, type Route } from "../http/server.js";

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

/** GitHub's signature: `sha256=` and an HMAC-SHA256 in lower-case hex. */
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

/** An `issues` event is a few KiB: 8 MiB of deliveries read at once before they are verified, 4 MiB of it large ones. */
const UNVERIFIED_LIMITS = { smallBodyBytes: 64 * 1024, totalBytes: 8 * 1024 * 1024, largeBytes: 4 * 1024 * 1024 };

export function githubWebhookRoute(options: { secret: string; repository: string | undefined; deps: () => IncidentDeps; logger: Logger }): Route {
  const log = options.logger.child({ component: "github-webhook" });
  const unverified = new UnverifiedBodies(UNVERIFIED_LIMITS);
  return {
    method: "POST",
    path: "/github/webhook",
    async handle(req: IncomingMessage, res: ServerResponse) {
      const signature = req.headers["x-hub-signature-256"];
      const refuseUnsigned = () => {
        const delivery = { delivery: req.headers["x-github-delivery"], signed: typeof signature === "string" };
        log.warn(delivery, "refused a webhook delivery without a valid signature");
        return sendJson(res, 401, { error: "invalid signature" }, { connection: "close" });
      };
      // Nothing is read of a delivery that is not even signed, and what is read before the signature
      // is checked is capped (as for Slack's requests, src/slack/requestChecks.ts).
      if (typeof signature !== "string" || !SIGNATURE.test(signature)) return refuseUnsigned();
      const declared = req.headers["content-length"] === undefined ? WEBHOOK_BODY_LIMIT : Number(req.headers["content-length"]);
      if (!(declared <= WEBHOOK_BODY_LIMIT)) return sendJson(res, 413, { error: "payload too large" }, { connection: "close" });
      const release = unverified.reserve(declared);
      if (!release) return sendJson(res, 503, { error: "too many deliveries at once" }, { connection: "close", "retry-after": "1" });
      let raw: string;
      let valid: boolean;
      try {
        raw = (await readBody(req, WEBHOOK_BODY_LIMIT)).toString("utf8");
        valid = raw.length > 0 && (await verify(options.secret, raw, signature).catch(() => false));
      } catch (error) {
        if (req.destroyed) return;
        if (!(error instanceof BodyTooLarge)) throw error;
        return sendJson(res, 413, { error: "payload too large" }, { connection: "close" });
      } finally {
        release();
      }
      if (!valid) return refuseUnsigned();
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
