// What tsdbt cannot run fails before touching a database, each problem named with its file and line and a hint,
// never a JavaScript stack trace: Jinja materializations, python models, packages that are not installed,
// adapter methods tsdbt does not offer, dispatch without a candidate, unknown doc() blocks. Packages that `dbt deps`
// already installed under dbt_packages/ are used as they are.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsdbt, writeProject } from '../helpers/project.js';

const base = { 'tsdbt_project.yml': undefined as unknown as string, 'dbt_project.yml': 'name: demo\nprofile: demo\nconfig-version: 2\n' };

describe('unsupported dbt constructs', () => {
  it('names each construct with file:line and exits 1 without a stack trace or a database', () => {
    const dir = writeProject({
      ...base,
      'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    version: [">=1.0.0"]\n  - git: "https://github.com/dbt-labs/dbt-codegen.git"\n    revision: 0.12.1\n',
      'macros/mat.sql': '{% macro ok() %}1{% endmacro %}\n\n{% materialization my_mat, default %}\n  select 1\n{% endmaterialization %}\n',
      'models/py_model.py': 'import pandas\n\ndef model(dbt, session):\n    return dbt.ref("a")\n',
      'models/a.sql': "select 1 as id\n-- line 2\n{{ adapter.drop_schema('x') }}\n",
      'models/b.sql': "select {{ adapter.dispatch('nope', 'dbt')() }} as x\n",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    description: \'{{ doc("missing_doc") }}\'\n',
    });
    const r = tsdbt(['run', '--project-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('custom materializations written in Jinja are not supported');
    expect(r.stderr).toContain('macros/mat.sql:3');
    expect(r.stderr).toContain('python models are not supported');
    expect(r.stderr).toContain('models/py_model.py:3');
    expect(r.stderr).toContain("package 'dbt-labs/dbt_utils' is not installed");
    expect(r.stderr).toMatch(/packages\.yml:2:\d+/);
    expect(r.stderr).toContain("package 'https://github.com/dbt-labs/dbt-codegen.git' is not installed");
    expect(r.stderr).toContain('`- local: <path to the package>`');
    expect(r.stderr).toContain('adapter.drop_schema() is not supported by tsdbt');
    expect(r.stderr).toMatch(/models\/a\.sql:3:\d+/);
    expect(r.stderr).toContain("No macro named 'nope' found within namespace: 'dbt'");
    expect(r.stderr).toContain("doc('missing_doc') does not match any {% docs %} block");
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(existsSync(join(dir, 'target/demo.duckdb'))).toBe(false);
  });

  it('uses a package that dbt deps installed under dbt_packages/, with its namespace and its dispatch', () => {
    const dir = writeProject({
      ...base,
      'packages.yml': 'packages:\n  - package: acme/acme_utils\n    version: 1.0.0\n',
      'dbt_packages/acme_utils/dbt_project.yml': 'name: acme_utils\nversion: 1.0.0\nconfig-version: 2\n',
      'dbt_packages/acme_utils/macros/twice.sql':
        "{% macro twice(x) %}{{ return(adapter.dispatch('twice', 'acme_utils')(x)) }}{% endmacro %}\n{% macro default__twice(x) %}({{ x }} * 2){% endmacro %}\n",
      'macros/override.sql': '{% macro default__twice(x) %}({{ x }} + {{ x }}){% endmacro %}\n',
      'models/a.sql': 'select {{ acme_utils.twice(21) }} as answer\n',
    });
    const r = tsdbt(['compile', '--project-dir', dir, '--select', 'a', '--print']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('select (21 + 21) as answer');
  });
});
