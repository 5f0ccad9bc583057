// A wrong SLACK_SIGNING_SECRET makes every request from Slack fail verification, the URL check
// included, and Slack sees only 401s. The operator must hear of it, but an unsigned flood must not
// flood the log: at most one warning a minute, counting the requests since the last one.
import type { Logger } from "../log.js";

const WARN_INTERVAL_MS = 60_000;

/** Returns the function to call for each request that had Slack's headers and a fresh timestamp but a wrong signature. */
export function signatureMismatchReporter(logger: Logger, now: () => number = Date.now, intervalMs = WARN_INTERVAL_MS): () => void {
  let lastWarnedAt = Number.NEGATIVE_INFINITY;
  let unreported = 0;
  return () => {
    unreported += 1;
    const at = now();
    if (at - lastWarnedAt < intervalMs) return;
    const since = Number.isFinite(lastWarnedAt) ? ` in the last ${Math.round((at - lastWarnedAt) / 1000)} s` : "";
    logger.warn(
      { signatureMismatches: unreported },
      `${unreported} request(s) with Slack's headers failed signature verification${since} and were answered 401: ` +
        "SLACK_SIGNING_SECRET does not match the app's Signing Secret (Basic Information -> App Credentials); copy it again and restart",
    );
    lastWarnedAt = at;
    unreported = 0;
  };
}
