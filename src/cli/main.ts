// promptlens: the command-line front end over the same core as the extension.
const args = process.argv.slice(2);
if (args[0] === '--version') {
  console.log(PROMPT_LENS_VERSION);
} else {
  console.log('usage: promptlens <command> [options]');
}
