// The domain's time: the real clock in the bot, a settable one in tests.
export interface Clock {
  now(): Date;
}
