// `POST /github/webhook`: GitHub telling us an action item's issue was closed, reopened or deleted.
// Nothing is read from a delivery before its X-Hub-Signature-256 (HMAC-SHA256 of the raw body with
// GITHUB_WEBHOOK_SECRET) checks out, compared in constant time by Octokit's own `verify`; anything
// unsigned or wrongly signed gets 401 and changes nothing, and a delivery without a well-formed
// signature is refused before its body is read. A redelivery is harmless: the store
// applies an observation of an issue only when it is newer than what it has (src/incidents/followups.ts).
// The fields read from a followed event are checked with zod (GitHub's `issues` event schema, the
// part we use): a delivery that lacks them or has them in another shape gets 400 naming the field.
import type { IncomingMessage, ServerResponse } from "node:http";
import { verify } from "@octokit/webhooks-methods";
import { z } from "zod";
import { applyIssueEvent } from "../incidents/followups.js";
import type { IncidentDeps } from "../incidents/deps.js";
import type { Logger } from "../log.js";
import { firstProblem, parseJson } from "../parseJson.js";
import { BodyTooLarge, readBody, sendJson, UnverifiedBodies, type Route } from "../http/server.js";

/** GitHub caps payloads at 25 MB, but an `issues` event is a few kilobytes: more is not for us. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const FOLLOWED_ACTIONS = ["closed", "reopened", "deleted", "transferred"] as const;

/** Any `issues` event: what it did, and where. */
const issuesEvent = z.object({ action: z.string(), repository: z.object({ full_name: z.string() }) });
const timestamp = z.iso.datetime({ offset: true });
/** The issue of an event we follow. */
const followedIssue = z.object({
  number: z.number().int().positive(),
  updated_at: timestamp,
  closed_at: timestamp.nullish(),
  pull_request: z.unknown().optional(),
});

/** The payload of a verified delivery: JSON, or the `payload` field of a form-encoded one (both are GitHub's content types). */
function parsePayload(raw: string, contentType: string | undefined): object | null {
  const json = contentType?.startsWith("application/x-www-form-urlencoded") ? new URLSearchParams(raw).get("payload") : raw;
  const parsed = parseJson(z.record(z.string(), z.unknown()), json);
  return parsed.ok ? parsed.value : null;
}

/** GitHub's signature: `sha256=` and an HMAC-SHA256 in lower-case hex. */
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

/** An `issues` event is a few KiB: 8 MiB of deliveries read at once before they are verified, 4 MiB of it large ones. */
const UNVERIFIED_LIMITS = { smallBodyBytes: 64 * 1024, totalBytes: 8 * 1024 * 1024, largeBytes: 4 * 1024 * 1024 };

/**
 * `repositories`: GITHUB_REPOSITORY and PRIVATE_GITHUB_REPOSITORY, as configured ("owner/name"): the
 * same webhook (and secret) may be added on both; deliveries from any other repository are ignored.
 */
export function githubWebhookRoute(options: { secret: string; repositories: string[]; deps: IncidentDeps; logger: Logger }): Route {
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
      if (event !== "issues") return void res.writeHead(204).end();
      const envelope = issuesEvent.safeParse(payload);
      if (!envelope.success) return sendJson(res, 400, { error: `not an issues event: ${firstProblem(envelope.error)}` });
      const action = FOLLOWED_ACTIONS.find((followed) => followed === envelope.data.action);
      const repository = options.repositories.find((name) => envelope.data.repository.full_name.toLowerCase() === name.toLowerCase());
      if (!action || !repository) return void res.writeHead(204).end();
      const parsed = z.object({ issue: followedIssue }).safeParse(payload);
      if (!parsed.success) return sendJson(res, 400, { error: `not an issues event: ${firstProblem(parsed.error)}` });
      const { issue } = parsed.data;
      if (issue.pull_request) return void res.writeHead(204).end();
      const result = await applyIssueEvent(options.deps, {
        repository,
        issueNumber: issue.number,
        action,
        updatedAt: new Date(issue.updated_at),
        closedAt: issue.closed_at ? new Date(issue.closed_at) : null,
      });
      log.info({ delivery, action, issue: issue.number, result }, "webhook delivery handled");
      sendJson(res, 200, { result });
    },
  };
}
