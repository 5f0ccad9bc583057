// The log of handled Slack requests, so a replay is not handled twice.
/** Slack requests already handled, so that a replayed one is not handled again. */
export interface RequestLog {
  /**
   * Marks a Slack request (by its trigger id, or a modal's view id and hash) as handled. False when
   * it already was: a replayed request is then not handled again, so nothing is created or announced twice.
   */
  claimRequest(key: string): Promise<boolean>;
  /**
   * Forgets requests handled before `before`. Slack's signed requests are refused 5 minutes after
   * they were signed, and Socket Mode redelivers within minutes, so a day-old key can never recur.
   */
  forgetHandledRequests(before: Date): Promise<number>;
}
