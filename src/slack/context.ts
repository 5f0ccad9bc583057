import type { WebClient } from "@slack/web-api";
import type { BackgroundTasks } from "../backgroundTasks.js";
import type { IncidentLocator } from "../incidents/locator.js";
import type { IncidentDeps } from "../incidents/deps.js";
import type { Logger } from "../log.js";

/** What listeners are given: the domain's dependencies and the few Slack-side helpers. */
export interface ListenerContext {
  deps: IncidentDeps;
  locator: IncidentLocator;
  tasks: BackgroundTasks;
  logger: Logger;
  /** Slack's Web API, for what only the Slack side shows (Block Kit summaries, modals). */
  client: WebClient;
}
