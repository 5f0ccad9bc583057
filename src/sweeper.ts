// Work that catches up on its own, at start and then periodically. Each is safe with several
// replicas: writes are keyed, issue creation is leased per item, reminders are claimed per day.
// Reconciliation runs every GITHUB_SYNC_MINUTES (each item is claimed, so replicas share it), and
// again at the next sweep while a backlog remains.
import type { BackgroundTasks } from "./backgroundTasks.js";
import type { Config } from "./config/index.js";
import { pushPublicUpdates, type StatuspagePushDeps } from "./atlassianStatuspage/push.js";
import { retryPendingIssues } from "./incidents/actionItems.js";
import { backfillOpenIncidents } from "./incidents/capture.js";
import type { IncidentDeps } from "./incidents/deps.js";
import { reconcileIssues, sendIncompleteReminders, sendOverdueReminders } from "./incidents/followups.js";
import { sendReportReminders } from "./incidents/report/review.js";
import { sendUpdateReminders } from "./incidents/updates.js";

/** How often pending action-item issues and late reports are looked at. */
const SWEEP_INTERVAL_MS = 60_000;
/** Handled request keys are kept this long: far beyond any replay Slack's signatures allow. */
const HANDLED_REQUESTS_KEPT_MS = 24 * 3_600_000;
/** Issues read per reconciliation run; a longer backlog continues at the next sweep. */
const ISSUE_CHECKS_PER_RUN = 100;

export interface SweeperOptions {
  deps: IncidentDeps;
  tasks: BackgroundTasks;
  config: Pick<Config, "github" | "reportReminderHours" | "updates">;
  /** Set when public updates are pushed to Atlassian Statuspage. */
  statuspagePush?: StatuspagePushDeps;
}

/** Backfills open incidents once, sweeps now and then every minute; stop() ends the schedule (running work finishes in `tasks`). */
export function startSweeper({ deps, tasks, config, statuspagePush }: SweeperOptions): { stop(): void } {
  const { clock, logger } = deps;
  const syncMs = config.github.syncMinutes * 60_000;
  let reconcileDueAt = 0;
  const sweep = () => {
    tasks.run("retry pending issues", async () => void (await retryPendingIssues(deps)));
    if ((deps.issueTracker || deps.privateIssueTracker) && clock.now().getTime() >= reconcileDueAt) {
      reconcileDueAt = Number.POSITIVE_INFINITY; // one run at a time in this process
      tasks.run("reconcile action item issues", async () => {
        try {
          const counts = await reconcileIssues(deps, { intervalMs: syncMs, limit: ISSUE_CHECKS_PER_RUN });
          if (counts.claimed) logger.info(counts, "reconciled action item issues");
          reconcileDueAt = clock.now().getTime() + (counts.claimed >= ISSUE_CHECKS_PER_RUN ? 0 : syncMs);
        } catch (error) {
          reconcileDueAt = clock.now().getTime() + syncMs;
          throw error;
        }
      });
    }
    tasks.run("overdue action items", async () => void (await sendOverdueReminders(deps)));
    tasks.run("action items without owner or date", async () => void (await sendIncompleteReminders(deps)));
    tasks.run("report reminders", async () => void (await sendReportReminders(deps, config.reportReminderHours)));
    if (statuspagePush) tasks.run("push public updates to Statuspage", async () => void (await pushPublicUpdates(statuspagePush)));
    tasks.run("update reminders", async () => void (await sendUpdateReminders(deps, config.updates.reminderMinutes)));
    tasks.run(
      "forget old request keys",
      async () => void (await deps.requests.forgetHandledRequests(new Date(clock.now().getTime() - HANDLED_REQUESTS_KEPT_MS))),
    );
    tasks.run("forget picked messages", async () => {
      await deps.picked.forgetPickedMessages(new Date(clock.now().getTime() - HANDLED_REQUESTS_KEPT_MS));
    });
  };
  tasks.run("backfill", async () => void (await backfillOpenIncidents(deps)));
  sweep();
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
