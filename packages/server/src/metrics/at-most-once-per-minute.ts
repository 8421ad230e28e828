/**
 * A failure hook that logs the first failure and then at most one a minute, passing how many were
 * not logged since: a store that stays unwritable (disk full) fails every flush, five times a second.
 */
export function atMostOncePerMinute<I>(
  log: (err: unknown, info: I, notLogged: number) => void,
  now: () => number = () => performance.now(),
): (err: unknown, info: I) => void {
  let last = -Infinity;
  let notLogged = 0;
  return (err, info) => {
    const t = now();
    if (t - last < 60_000) {
      notLogged++;
      return;
    }
    log(err, info, notLogged);
    last = t;
    notLogged = 0;
  };
}
