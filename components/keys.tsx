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
    (chunk, chunkKey) => {
      for (const [input, key] of splitKeys(chunk, chunkKey)) {
        root.current?.(input, key);
        if (key.ctrl && input === 'c') return;
        if (early.current) early.current.push([input, key]);
        else dispatch(input, key);
      }
    },
    { isActive: isRawModeSupported },
  );

  return <KeyRouterContext.Provider value={router}>{children}</KeyRouterContext.Provider>;
}

/** A key event with nothing pressed but text. */
export const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** One control character as Ink reports it when it arrives alone. */
function controlKey(char: string): [string, Key] | undefined {
  const code = char.charCodeAt(0);
  if (char === '\r' || char === '\n') return ['', { ...NO_KEY, return: true }];
  if (char === '\t') return ['', { ...NO_KEY, tab: true }];
  if (code === 0x7f || code === 0x08) return ['', { ...NO_KEY, backspace: true }];
  if (code >= 0x01 && code <= 0x1a) return [String.fromCharCode(code + 0x60), { ...NO_KEY, ctrl: true }];
  return undefined;
}

/**
 * Ink splits what stdin delivers only at escape sequences: keys sent quickly (a script, a loaded
 * machine, a paste) can arrive in one read, "\u0015new text\r", and reach handlers as one odd
 * string, the Ctrl-U and the Enter lost. Split such a chunk into the keys it holds: each control
 * character alone, the text between them as typed.
 */
export function splitKeys(input: string, key: Key): [string, Key][] {
  if (input.length < 2 || key.ctrl || key.meta || !/[\x00-\x1f\x7f]/.test(input)) return [[input, key]];
  const keys: [string, Key][] = [];
  let text = '';
  for (const char of input) {
    const control = /[\x00-\x1f\x7f]/.test(char) ? controlKey(char) : undefined;
    if (!control && /[\x00-\x1f\x7f]/.test(char)) continue;
    if (!control) {
      text += char;
      continue;
    }
    if (text) keys.push([text, NO_KEY]);
    text = '';
    keys.push(control);
  }
  if (text) keys.push([text, NO_KEY]);
  return keys;
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
