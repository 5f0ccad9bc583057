// Start-up leaves garbage behind: Prisma's query compiler decoded from base64, the answers of
// start-up's checks, the migration check, the first sweep. Left alone, V8 collects it only once
// the bot allocates enough to need the room, which an idle bot does not: it stayed resident,
// about 10 MiB of the idle figure, until V8 got round to it 15 s or so later (README, Memory).
// So the bot collects it once, when start-up's work is done. gc() is there only when Node runs
// with --expose-gc (the start script and the image do); without it this does nothing.
//
// Twice: the first collection finds the garbage, but its pages are swept concurrently and only a
// later collection hands the emptied ones back. After a restart on a large open incident (the
// backfill reads every known thread again), the bench's idle figure was 138-140 MiB with one
// collection and 128-134 MiB with two.
export function collectStartupGarbage(): void {
  const { gc } = globalThis as { gc?: () => void };
  gc?.();
  gc?.();
}
