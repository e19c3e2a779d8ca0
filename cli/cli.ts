// The `courier` command-line runner.
const usage = 'usage: courier run <file.http...> [--all | --name NAME... | --line N] [--env NAME] [--var key=value...]';
process.stdout.write(`${usage}\n`);
process.exitCode = process.argv.length > 2 ? 2 : 0;
