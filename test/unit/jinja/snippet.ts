// The shape of one conformance snippet: a template, its render context and the exact expected output.
export interface Snippet {
  readonly name: string;
  readonly src: string;
  readonly out: string;
  readonly ctx?: Readonly<Record<string, unknown>>;
}
