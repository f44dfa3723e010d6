/**
 * One reader of the keyboard for the whole wizard. Ink subscribes each
 * `useInput` in an effect, after its component is on screen: keys typed in
 * between (at start-up, or a script typing at once) reach nobody. Here one
 * root subscription reads every key from the first frame on and hands it to
 * the handlers the steps register, in order; keys typed before the first
 * screen that listens (a text field, usually) wait for it (type-ahead), and
 * none is lost or delivered twice.
 */
import { useInput, useStdin, type Key } from 'ink';
import { createContext, useCallback, useContext, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';

export type KeyHandler = (input: string, key: Key) => void;

interface Registration {
  handler: { current: KeyHandler };
}

export interface KeyRouter {
  register(registration: Registration): () => void;
}

const KeyRouterContext = createContext<KeyRouter | undefined>(undefined);

/** Props of KeyRouterProvider. */
export interface KeyRouterProviderProps {
  /** Keys handled before any step sees them (Ctrl-C), and never held back. */
  onKey?: KeyHandler;
  children: ReactNode;
}

export function KeyRouterProvider({ onKey, children }: KeyRouterProviderProps) {
  const { isRawModeSupported } = useStdin();
  const registrations = useRef<Registration[]>([]);
  /** Keys read before anything listened: delivered to the first screen that does. */
  const early = useRef<[string, Key][] | undefined>([]);
  const root = useRef(onKey);
  root.current = onKey;

  const dispatch = useCallback((input: string, key: Key) => {
    for (const registration of [...registrations.current]) registration.handler.current(input, key);
  }, []);

  const router = useMemo<KeyRouter>(
    () => ({
      register(registration) {
        registrations.current.push(registration);
        const waiting = early.current;
        if (waiting) {
          // The first screen that listens takes the keys typed before it existed, in order, once.
          early.current = undefined;
          for (const [input, key] of waiting) dispatch(input, key);
        }
        return () => {
          registrations.current = registrations.current.filter((candidate) => candidate !== registration);
        };
      },
    }),
    [dispatch],
  );

  useInput(
    (input, key) => {
      root.current?.(input, key);
      if (key.ctrl && input === 'c') return;
      if (early.current) early.current.push([input, key]);
      else dispatch(input, key);
    },
    { isActive: isRawModeSupported },
  );

  return <KeyRouterContext.Provider value={router}>{children}</KeyRouterContext.Provider>;
}

/**
 * Keys for the calling component while `active`. Registered in a layout effect, so a key
 * never meets a screen that is drawn but not listening; the latest handler is always called.
 * Outside a KeyRouterProvider (a component rendered alone) it falls back to Ink's useInput.
 */
export function useKeys(handler: KeyHandler, active = true): void {
  const router = useContext(KeyRouterContext);
  const { isRawModeSupported } = useStdin();
  const latest = useRef(handler);
  latest.current = handler;
  useLayoutEffect(() => {
    if (!router || !active) return;
    return router.register({ handler: latest });
  }, [router, active]);
  const stable = useCallback((input: string, key: Key) => latest.current(input, key), []);
  useInput(stable, { isActive: !router && active && isRawModeSupported });
}
