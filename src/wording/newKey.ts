/**
 * What is said about a new recovery key whose confirm lost its answer, and about key files an
 * earlier run left: always what the file holds, whether the key is the account's, and what to do.
 */

const inFile = (file: string | undefined) => (file ? ` It is in ${file}.` : '');

export function keyNotActivated(file: string | undefined): string {
  return `The connection to Beeper dropped while the new recovery key was being confirmed, and Beeper reports that it did not take it: the new key is not active yet, and your old key (if any) still works.${inFile(file)}`;
}

export function keyOutcomeUnknown(file: string | undefined): string {
  return `The connection to Beeper dropped while the new recovery key was being confirmed, and Beeper did not answer again, so whether the new key is now your account's key is not known.${file ? ` It is in ${file}: keep that file, and your old key too.` : ' Keep your copy of it, and your old key too.'}`;
}

export function keyActiveNotice(file: string | undefined): string {
  return `The connection dropped while the new recovery key was being confirmed; Beeper reports it took it: it is now your account's recovery key.${inFile(file)}`;
}

export function keyUnknownNotice(file: string | undefined): string {
  return `The connection dropped while the new recovery key was being confirmed, and Beeper does not say whether it took it. Keep the new key${file ? ` (in ${file})` : ''} and your old one until the new one has unlocked your messages on another device.`;
}
