// Slack identifies every message by its ts, "seconds.microseconds" since the epoch as a string.
// That ts is the message's time: the record uses it, never the time an event reached us.

export function slackTsToDate(ts: string): Date {
  const [seconds = "0", micros = "0"] = ts.split(".");
  return new Date(Number(seconds) * 1000 + Math.floor(Number(micros.padEnd(6, "0")) / 1000));
}

export function dateToSlackTs(date: Date): string {
  const ms = date.getTime();
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, "0")}`;
}
