import { useCallback, useEffect, useRef, useState } from 'react';
import { AwsApiError, errorText } from '../api/aws-call.js';

/** Loads `load()` now and on `reload()`, keeping the value, the error text and whether it is loading. */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState('');
  // AWS's error code alone, for decisions (the text above is for display).
  const [errorCode, setErrorCode] = useState('');
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  // Callers of `reloaded()` waiting for the next load to settle (told whether it succeeded).
  const waiting = useRef<Array<(ok: boolean) => void>>([]);
  const run = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    const mine = waiting.current.splice(0);
    const settle = (ok: boolean) => {
      for (const resolve of mine) resolve(ok);
    };
    setLoading(true);
    run().then(
      (v) => {
        if (!live) return;
        setValue(v);
        setError('');
        setErrorCode('');
        setLoading(false);
        settle(true);
      },
      (e: unknown) => {
        if (!live) return;
        setError(errorText(e));
        setErrorCode(e instanceof AwsApiError ? e.code : '');
        setLoading(false);
        settle(false);
      },
    );
    return () => {
      // Superseded (a newer reload, or other deps): its waiters are the next load's.
      if (live) waiting.current.unshift(...mine);
      live = false;
    };
  }, [run, tick]);
  const reload = () => setTick((t) => t + 1);
  /** Reloads, resolving once that load settles: true if it loaded, false if it failed. */
  const reloaded = () =>
    new Promise<boolean>((resolve) => {
      waiting.current.push(resolve);
      reload();
    });
  return { value, error, errorCode, loading, reload, reloaded };
}

/** Runs a mutation, keeping its error (AWS's message) or a success line for a {@link Notice}. */
export function useAction() {
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  /** `success` may be worked out once `fn` has run (say, from what it found). */
  const run = async (fn: () => Promise<unknown>, success: string | (() => string)): Promise<boolean> => {
    setBusy(true);
    setError('');
    setDone('');
    try {
      await fn();
      setDone(typeof success === 'string' ? success : success());
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { error, done, busy, run, clear: () => (setError(''), setDone('')) };
}
