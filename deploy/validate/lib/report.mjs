// Console report: one line per check, the reasons under a failed one, a count at the end.
export class Report {
  constructor({ quiet = false } = {}) {
    this.passed = 0;
    this.failed = 0;
    this.notes = [];
    this.failures = [];
    this.log = quiet ? () => {} : (line) => console.log(line);
  }

  section(title) {
    this.log(`\n== ${title} ==`);
  }

  /** errors: nothing, a string or a list of strings; the check passes when there are none. */
  check(name, errors) {
    const list = [errors].flat().filter((e) => e !== undefined && e !== null && e !== '');
    if (list.length === 0) {
      this.passed++;
      this.log(`  ok    ${name}`);
    } else {
      this.failed++;
      this.failures.push({ name, errors: list });
      this.log(`  FAIL  ${name}`);
      for (const e of list.slice(0, 25)) this.log(`          - ${e}`);
      if (list.length > 25) this.log(`          ... and ${list.length - 25} more`);
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
    this.log(`  note  ${text}`);
  }
}
