// promptlens: the command-line front end over the same core as the extension.
import { UnsupportedError } from '../core/errors';
import { completeCommand } from './commands/complete';
import { embedCommand } from './commands/embed';
import { evaluateCommand } from './commands/evaluate';
import { explainCommand } from './commands/explain';
import { modelsCommand } from './commands/models';
import { renderCommand } from './commands/render';
import { testCommand } from './commands/test';
import { tokenizeCommand } from './commands/tokenize';
import { FILE_USAGE } from './templateFiles';
import { cliFailure, failureJson } from './failure';
import { EXIT_BACKEND, EXIT_OK, EXIT_USAGE, processIo, type CliIo } from './io';
import { DEFAULT_CONNECT_TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS } from './options';
import { exitQuietlyWhenStdoutCloses } from './pipes';

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
  --connect-timeout SECONDS   give up connecting, or waiting for the first byte of a probe, a model
                    listing or a stream, after this long (default ${DEFAULT_CONNECT_TIMEOUT_SECONDS}, or --timeout if shorter)
  --timeout SECONDS give up when the server is silent this long in the middle of a reply, or before a
                    reply that comes only when the work is done (default ${DEFAULT_TIMEOUT_SECONDS})
  ${FILE_USAGE}
  --deadline S      seconds one attempt of a request may take in all (default 900)
  --max-reply-mb N  largest reply read (default 64)   --max-event-mb N  largest stream event (default 4)
  --json            print exactly one JSON object, also on failure: {"error": {"kind", "message"}}
  proxies: HTTPS_PROXY / HTTP_PROXY, bypassed for NO_PROXY hosts and for loopback (127.0.0.0/8, ::1, localhost)
  render FILE [--var key=value] [--var-json key=JSON] [--backend-kind KIND] [--json]

embed: --representation symmetric|document|query   --compress-to-size 128
       --layers 0,-1 --pooling mean,max (raw hidden states; Aleph Alpha)
test [files, folders or globs]: --reporter text|json|junit   --out FILE   --concurrency N
       --dry-run   --baseline REPORT.json   --explain-failures   --backend   --url   --model

exit codes:
  0  ok (also when the reader of stdout stops early, e.g. | head)
  1  the prompt file has errors (template diagnostics of severity error); test: a test failed
  2  usage error: unknown command or option, bad value, invalid --url, no --model for
     Aleph Alpha, unreadable FILE
  3  the server or the network failed, or the command failed unexpectedly`;

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
    const message = `unknown command "${name}" (try promptlens --help)`;
    if (wantsJson(rest)) io.stdout(failureJson({ code: EXIT_USAGE, kind: 'usage', message }));
    io.stderr(`promptlens: ${message}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    const failure = cliFailure(error, {
      command: name,
      secret: tokenIn(rest, io.env),
      timeoutSeconds: timeoutIn(rest),
    });
    if (wantsJson(rest)) io.stdout(failureJson(failure));
    io.stderr(`promptlens ${name}: ${failure.message}`);
    if (error instanceof UnsupportedError && error.suggestedKind === 'llama-cpp')
      io.stderr(
        'hint: this is a llama.cpp server; run again with --backend llama-cpp (the URL without /v1), which can score.',
      );
    return failure.code;
  }
}

/** The token this run would use, to scrub it from anything printed. */
function tokenIn(argv: string[], env: CliIo['env']): string | undefined {
  const flag = argv.indexOf('--token-env');
  const inline = argv.find((arg) => arg.startsWith('--token-env='));
  const name =
    inline?.slice('--token-env='.length) ?? (flag >= 0 ? argv[flag + 1] : undefined) ?? 'PROMPTLENS_TOKEN';
  return env[name] || undefined;
}

function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/** The `--timeout` of this run, for the advice of a timeout (a bad value never gets this far). */
function timeoutIn(argv: string[]): number {
  const flag = argv.indexOf('--timeout');
  const inline = argv.find((arg) => arg.startsWith('--timeout='));
  const value = Number(inline?.slice('--timeout='.length) ?? (flag >= 0 ? argv[flag + 1] : undefined));
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_SECONDS;
}

if (require.main === module) {
  exitQuietlyWhenStdoutCloses();
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
