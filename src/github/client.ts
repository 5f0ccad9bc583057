// One Octokit for the bot: retries transient failures (5xx, network) and waits out rate limits
// through Octokit's own plugins rather than hand-written loops.
import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import Bottleneck from "bottleneck/light.js";
import type { Logger } from "../log.js";

const BotOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof BotOctokit>;

/**
 * Octokit's request log (@octokit/plugin-request-log) says "GET /repos/... - 304 with id ... in
 * 5ms" through `log.error`, because Octokit throws on a 304. A 304 is the answer a conditional read
 * hopes for (the issue is unchanged; every sync is mostly these), so it is a debug line, as is the
 * log of every request that succeeded. Failures stay errors.
 */
const NOT_MODIFIED = / - 304 with id /;

export function createGitHubClient(options: {
  token: string;
  baseUrl?: string;
  logger: Logger;
  /** How many times a rate-limited or failed request is retried before it is reported. */
  retries?: number;
  /** Wait before retry n is n² times this (Octokit's default 1 s; tests shorten it). */
  retryBaseMs?: number;
  /**
   * Octokit's throttling sends writes one at a time, 1 s apart, and those that notify people
   * (creating an issue, a comment) 3 s apart, as GitHub asks of integrations. Given, writes are
   * still sent one at a time, but this far apart (three times as far for notifying ones): tests,
   * which write to a fake on 127.0.0.1, would otherwise spend most of their time in this wait.
   * Rate limits (403/429) are still waited out for the time GitHub asks.
   */
  writeSpacingMs?: number;
}): GitHubClient {
  const { logger, retries = 3, retryBaseMs = 1000, writeSpacingMs } = options;
  const log = logger.child({ component: "github" });
  const octokit = new BotOctokit({
    auth: options.token,
    ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/$/, "") } : {}),
    userAgent: "incident-bot",
    // Octokit's own debug line carries every request's options: left out.
    log: {
      debug: () => {},
      info: (m: string) => log.debug(m),
      warn: (m: string) => log.warn(m),
      error: (m: string) => (NOT_MODIFIED.test(m) ? log.debug(m) : log.error(m)),
    },
    retry: { retries, retryAfterBaseValue: retryBaseMs },
    throttle: {
      ...(writeSpacingMs === undefined
        ? {}
        : {
            write: new Bottleneck.Group({ maxConcurrent: 1, minTime: writeSpacingMs }),
            notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 * writeSpacingMs }),
          }),
      onRateLimit: (retryAfter: number, opts: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        log.warn({ retryAfter, method: opts.method, url: opts.url, retryCount }, "GitHub rate limit");
        return retryCount < retries;
      },
      onSecondaryRateLimit: (retryAfter: number, opts: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        log.warn({ retryAfter, method: opts.method, url: opts.url, retryCount }, "GitHub secondary rate limit");
        return retryCount < retries;
      },
    },
  });
  // The retry and throttling plugins count a request's retries in `options.request.retryCount`,
  // and unless a call brings its own `request` options, that object is the client's defaults,
  // shared by every request: one request's retries stayed on all later ones, whose first retry then
  // waited (count + 1)² times the base (25 s instead of 1 s after a request retried four times).
  // Each request gets its own copy. Registered last, this runs before the plugins' hooks.
  octokit.hook.before("request", (requestOptions) => {
    requestOptions.request = { ...requestOptions.request };
  });
  return octokit;
}
