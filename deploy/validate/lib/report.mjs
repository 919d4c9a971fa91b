// Console report: one line per check, the reasons under a failed one, a count at the end.
export class Report {
  constructor() {
    this.passed = 0;
    this.failed = 0;
    this.notes = [];
  }

  section(title) {
    console.log(`\n== ${title} ==`);
  }

  /** errors: nothing, a string or a list of strings; the check passes when there are none. */
  check(name, errors) {
    const list = [errors].flat().filter((e) => e !== undefined && e !== null && e !== '');
    if (list.length === 0) {
      this.passed++;
      console.log(`  ok    ${name}`);
    } else {
      this.failed++;
      console.log(`  FAIL  ${name}`);
      for (const e of list.slice(0, 25)) console.log(`          - ${e}`);
      if (list.length > 25) console.log(`          ... and ${list.length - 25} more`);
    }
    return list.length === 0;
  }

  /** Runs fn, turning a thrown error into a failed check. */
  attempt(name, fn) {
    try {
      return this.check(name, fn());
    } catch (e) {
      return this.check(name, `${e.message || e}`);
    }
  }

  note(text) {
    this.notes.push(text);
    console.log(`  note  ${text}`);
  }
}
