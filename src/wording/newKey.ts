/**
 * What is said about a new recovery key whose confirm lost its answer, and about key files an
 * earlier run left: always what the file holds, whether the key is the account's, and what to do.
 */

/** The gate before a new key is activated, in the wizard and in plain mode alike. */
export const TYPE_BACK_PROMPT = 'To be sure it is saved, type the last two groups of your key (8 characters) from your saved copy:';

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

/** What a key file an earlier run wrote holds, and what to do with it; `flag` names where another path goes. */
export function existingKeyFile(path: string, record: { state: 'written' | 'activating' | 'active'; at: string; app?: string } | undefined, flag: string): { message: string; fix: string } {
  const when = record ? new Date(record.at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '';
  const elsewhere = `choose another path${flag ? ` with ${flag}` : ''}`;
  switch (record?.state) {
    case 'written':
      return {
        message: `${path} holds a new recovery key that beeper-setup wrote on ${when}, in a run that stopped before activating it: it is not your account's key and unlocks nothing.`,
        fix: `Delete it (rm ${path}) and run again, or ${elsewhere}.`,
      };
    case 'activating':
      return {
        message: `${path} holds a new recovery key that beeper-setup asked ${record.app ?? 'Beeper'} to activate on ${when}, and no answer came: it may be your account's key now.`,
        fix: `Keep it, and ${elsewhere} for a new key; to find out, verify with it (--recovery-key-file ${path}): a key that is not the account's is refused without harm.`,
      };
    case 'active':
      return {
        message: `${path} holds your account's recovery key, activated by beeper-setup on ${when}; beeper-setup never overwrites it.`,
        fix: `Keep it, and ${elsewhere} for a new key.`,
      };
    default:
      return { message: `${path} exists already; beeper-setup never overwrites a recovery key file.`, fix: `Move it away or ${elsewhere}.` };
  }
}
