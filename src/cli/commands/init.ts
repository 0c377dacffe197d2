// tsdbt init [dir]: scaffolds a new project that builds on embedded DuckDB at once; tsdbt clean removes target/.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ExitError } from '../session.js';
import { Diagnostics } from '../../common/diagnostics.js';
import { loadProjectConfig } from '../../compiler/project-config.js';

const files = (name: string): Record<string, string> => ({
  'tsdbt_project.yml': `name: ${name}\nprofile: ${name}\nconfig-version: 2\n\nmodel-paths: ["models"]\nseed-paths: ["seeds"]\ntest-paths: ["tests"]\nmacro-paths: ["macros"]\nsnapshot-paths: ["snapshots"]\n\nmodels:\n  ${name}:\n    staging:\n      +materialized: view\n    marts:\n      +materialized: table\n`,
  'profiles.yml': `${name}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "{{ env_var('TSDBT_DUCKDB_PATH', 'target/${name}.duckdb') }}"\n      schema: main\n      threads: 4\n    # pg:\n    #   type: postgres\n    #   host: 127.0.0.1\n    #   port: 5432\n    #   user: "{{ env_var('PGUSER', 'postgres') }}"\n    #   password: "{{ env_var('PGPASSWORD') }}"\n    #   dbname: analytics\n    #   schema: public\n    #   threads: 4\n    # trino:\n    #   type: trino\n    #   host: 127.0.0.1\n    #   port: 8080\n    #   user: "{{ env_var('USER', 'tsdbt') }}"\n    #   catalog: iceberg\n    #   schema: analytics\n    #   threads: 4\n`,
  'seeds/customers.csv': 'customer_id,name,country\n1,Ada,GB\n2,Linus,FI\n3,Grace,US\n',
  'models/staging/stg_customers.sql': "select customer_id, name, upper(country) as country\nfrom {{ ref('customers') }}\n",
  'models/staging/_staging.yml': 'version: 2\nmodels:\n  - name: stg_customers\n    description: Customers, cleaned.\n    columns:\n      - name: customer_id\n        data_tests: [unique, not_null]\n',
  'models/marts/customers_per_country.sql': "select country, count(*) as customers\nfrom {{ ref('stg_customers') }}\ngroup by country\n",
  'models/marts/_marts.yml': 'version: 2\nmodels:\n  - name: customers_per_country\n    description: How many customers each country has.\n    columns:\n      - name: country\n        data_tests: [unique, not_null]\n',
  'macros/.gitkeep': '',
  'tests/.gitkeep': '',
  'snapshots/.gitkeep': '',
  '.gitignore': 'target/\n*.duckdb\n*.duckdb.wal\nlogs/\n',
  'README.md': `# ${name}\n\nA tsdbt project. Build it on embedded DuckDB:\n\n\`\`\`sh\nnpx tsdbt build\n\`\`\`\n\nModels live in \`models/\` (staging views, mart tables), seeds in \`seeds/\`, connections in \`profiles.yml\`.\n`,
});

export const initCommand: CommandModule<object, { dir?: string; name?: string }> = {
  command: 'init [dir]',
  describe: 'create a new project (DuckDB by default)',
  builder: (y: Argv) => y.positional('dir', { type: 'string', default: '.' }).option('name', { type: 'string', describe: 'project name (default: the folder name)' }) as never,
  handler: async (args: ArgumentsCamelCase<{ dir?: string; name?: string }>) => {
    const dir = resolve(args.dir ?? '.');
    if (existsSync(dir) && readdirSync(dir).some((f) => f === 'tsdbt_project.yml' || f === 'dbt_project.yml')) {
      throw new ExitError(2, `error: ${dir} already holds a project`);
    }
    const name = (args.name ?? basename(dir)).replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1');
    for (const [path, text] of Object.entries(files(name))) {
      const abs = join(dir, path);
      mkdirSync(join(abs, '..'), { recursive: true });
      writeFileSync(abs, text);
    }
    process.stdout.write(`Created project '${name}' in ${dir}\nNext: cd ${args.dir ?? '.'} && npx tsdbt build\n`);
  },
};

export const cleanCommand: CommandModule<object, { projectDir?: string }> = {
  command: 'clean',
  describe: 'remove target/ (the project\'s clean-targets)',
  builder: (y: Argv) => y.option('project-dir', { type: 'string' }) as never,
  handler: async (args: ArgumentsCamelCase<{ projectDir?: string }>) => {
    const projectDir = resolve(args.projectDir ?? process.cwd());
    const config = loadProjectConfig(projectDir, new Diagnostics());
    const targets = [config?.targetPath ?? 'target'];
    for (const t of targets) {
      rmSync(join(projectDir, t), { recursive: true, force: true });
      process.stdout.write(`removed ${t}/\n`);
    }
  },
};
