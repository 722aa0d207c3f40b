// Placeholder until the prompt-files work lands: `promptlens render FILE [--var k=v] --json`.
export async function renderCommand(_argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): Promise<number> {
  io.stderr('promptlens render: not available yet');
  return 2;
}
