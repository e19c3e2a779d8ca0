// The named expectations of one UI check: each prints `✔ UI: name` or `✖ UI: name (why)`,
// and the check passes only when every one did.

export class UiCheckList {
  private failures = 0;

  /** True when no expectation failed so far. */
  get passed(): boolean {
    return this.failures === 0;
  }

  /** Runs one expectation; resolves to its result, or undefined when it failed (and was printed as failed). */
  async run<T>(name: string, expectation: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await expectation();
      console.log(`  ✔ UI: ${name}`);
      return result;
    } catch (error) {
      this.fail(name, error);
      return undefined;
    }
  }

  /** Records a failed expectation with the reason. */
  fail(name: string, error: unknown): void {
    this.failures++;
    console.log(`  ✖ UI: ${name} (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
}
