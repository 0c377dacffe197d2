// The `yaml` package, loaded on first use: about 15 ms of startup that most commands never need, since js-yaml reads
// every valid, ordinary YAML file (see compiler/yaml-fast-load.ts) and `yaml` serves errors, odd files and --vars.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

export function yamlLib(): typeof Yaml {
  return (lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}
