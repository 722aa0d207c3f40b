/** Replaced at build time by esbuild with the version from package.json. */
declare const PROMPT_LENS_VERSION: string;
