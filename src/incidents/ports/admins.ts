// Who may act as an incident admin (INCIDENT_ADMINS).
import type { UserId } from "../model.js";

/** The break-glass list of incident admins (INCIDENT_ADMINS): Slack users and user groups. */
export interface Admins {
  includes(userId: UserId): Promise<boolean>;
}
