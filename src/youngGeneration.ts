/**
 * V8 doubles its young generation each time it fills, up to 32 MB, and loading Ink and React fills
 * it again and again: resident memory that stays for the whole run. Held at its first size while the
 * wizard loads (about 9 MB less at the peak on Node 20), then let grow: held small for good, its
 * scavenges would cost a steady 1 % CPU while a wait redraws. (0 would crash V8; 1 means "do not grow".)
 */
import v8 from 'node:v8';

/** Before the wizard loads (src/main.ts). */
export function holdYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

/** Once its first frames are drawn (src/interactive.tsx). */
export function letYoungGenerationGrow(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=2');
}
