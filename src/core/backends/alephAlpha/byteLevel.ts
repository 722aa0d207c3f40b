/**
 * /tokenize returns byte-level BPE symbols (GPT-2 style: every byte is one printable character, a
 * space is `Ġ`). This turns them back into text, token by token, so the pieces join to the input.
 */
const SYMBOL_TO_BYTE: ReadonlyMap<string, number> = (() => {
  const table = new Map<string, number>();
  let next = 256;
  for (let byte = 0; byte < 256; byte++) {
    const printable =
      (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
    table.set(String.fromCodePoint(printable ? byte : next++), byte);
  }
  return table;
})();

/** Texts of the tokens; a character split over tokens goes with the token that completes it. Symbols that are not byte-level are kept as they are. */
export function decodeByteLevel(symbols: readonly string[]): string[] {
  const decoder = new TextDecoder('utf-8');
  return symbols.map((symbol) => {
    const bytes: number[] = [];
    for (const char of symbol) {
      const byte = SYMBOL_TO_BYTE.get(char);
      if (byte === undefined) return symbol;
      bytes.push(byte);
    }
    return decoder.decode(Uint8Array.from(bytes), { stream: true });
  });
}
