// promptlens: the command-line front end over the same core as the extension.
import { PromptLensError } from '../core/errors';
import { completeCommand } from './commands/complete';
import { embedCommand } from './commands/embed';
import { evaluateCommand } from './commands/evaluate';
import { explainCommand } from './commands/explain';
import { modelsCommand } from './commands/models';
import { renderCommand } from './commands/render';
import { testCommand } from './commands/test';
import { tokenizeCommand } from './commands/tokenize';
import { FILE_USAGE } from './templateFiles';
import { EXIT_BACKEND, EXIT_OK, EXIT_USAGE, UsageError, processIo, type CliIo } from './io';

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  complete: completeCommand,
  evaluate: evaluateCommand,
  explain: explainCommand,
  tokenize: tokenizeCommand,
  models: modelsCommand,
  render: renderCommand,
  test: testCommand,
  embed: embedCommand,
};

const USAGE = `usage: promptlens <command> [--prompt TEXT | FILE.prompt] [options]

commands: complete, evaluate, explain, tokenize, models, render, embed, test

  --backend aleph-alpha|llama-cpp|openai   --url URL   --model NAME
  --max-tokens N   --temperature T   --stop TEXT (repeatable)   --log-probs K   --stream
  --expected TEXT (evaluate)   --target TEXT (explain)
  --granularity token|word|sentence|paragraph|custom:<delimiter>
  --target-granularity complete|token   --postprocessing none|absolute|square   --normalize
  --token-env VAR   the environment variable holding the API token (default PROMPTLENS_TOKEN)
  --json            print exactly one JSON object
  ${FILE_USAGE}
  --max-reply-mb N  largest reply read (default 64)   --max-event-mb N  largest stream event (default 4)
  --deadline S      seconds one attempt of a request may take in all (default 900)
  proxies: HTTPS_PROXY / HTTP_PROXY, bypassed for NO_PROXY hosts and for loopback (127.0.0.0/8, ::1, localhost)

embed: --representation symmetric|document|query   --compress-to-size 128
       --layers 0,-1 --pooling mean,max (raw hidden states; Aleph Alpha)
test [files, folders or globs]: --reporter text|json|junit   --out FILE   --concurrency N
       --dry-run   --baseline REPORT.json   --explain-failures   --backend   --url   --model

exit codes: 0 ok, 1 a test failed (test), 2 usage error, 3 backend error`;

/** Runs one command; returns the exit code. Failures are one line on stderr, never with the token. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version') {
    io.stdout(PROMPT_LENS_VERSION);
    return EXIT_OK;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(USAGE);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`promptlens: unknown command "${name}" (try --help)`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    const secret = tokenIn(rest, io.env);
    io.stderr(`promptlens ${name}: ${oneLine(describe(error), secret)}`);
    return error instanceof UsageError ? EXIT_USAGE : EXIT_BACKEND;
  }
}

function describe(error: unknown): string {
  if (error instanceof PromptLensError || error instanceof UsageError) return error.message;
  return error instanceof Error
    ? `unexpected failure: ${error.message}`
    : `unexpected failure: ${String(error)}`;
}

/** The token this run would use, to scrub it from anything printed. */
function tokenIn(argv: string[], env: CliIo['env']): string | undefined {
  const flag = argv.indexOf('--token-env');
  const inline = argv.find((arg) => arg.startsWith('--token-env='));
  const name =
    inline?.slice('--token-env='.length) ?? (flag >= 0 ? argv[flag + 1] : undefined) ?? 'PROMPTLENS_TOKEN';
  return env[name] || undefined;
}

function oneLine(message: string, secret: string | undefined): string {
  const scrubbed = secret ? message.split(secret).join('[redacted]') : message;
  return scrubbed.replace(/\s+/g, ' ').trim();
}

if (require.main === module) {
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`promptlens: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT_BACKEND;
    },
  );
}
