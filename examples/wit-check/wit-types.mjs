// Parses WIT files with the Bytecode Alliance's wit-parser (compiled into jco-transpile's
// bindgen component) by generating TypeScript declarations for a world that exports the file's
// `types` interface, then lists every record and variant it declares, one per line:
//
//   <file> TAB <struct|union> TAB <C name> TAB <size> TAB <TypeScript name> TAB <field,field,...>
//
// C name and size come from the doc comment our emitter writes ("C struct hist, 120 bytes"),
// which survives the parse; fields are the record's as the parser saw them (camelCase; the
// TypeScript generator quotes JavaScript keywords such as 'function').
// A WIT file that does not parse makes this exit non-zero with the parser's message.
import { readFileSync } from 'node:fs';
import { $init, generateTypes } from '@bytecodealliance/jco-transpile/component';

await $init;
let failed = false;
for (const file of process.argv.slice(2)) {
  const source = readFileSync(file, 'utf8') + '\nworld check {\n  export types;\n}\n';
  let files;
  try {
    files = generateTypes('check', {
      wit: { tag: 'source', val: source },
      world: 'check',
      tlaCompat: false,
      guest: false,
      features: { tag: 'list', val: [] },
    });
  } catch (e) {
    console.error(`${file}: ${e.message ?? e}`);
    failed = true;
    continue;
  }
  for (const [name, bytes] of files) {
    if (!name.startsWith('interfaces/')) continue;
    const ts = new TextDecoder().decode(bytes);
    const decl = /\/\*\*\n \* C (struct|union) (\S+), (\d+) bytes[^\n]*\n \*\/\nexport (?:interface (\w+) \{\n((?: {2}[^\n]*\n)*)\}|type (\w+) =)/g;
    for (const m of ts.matchAll(decl)) {
      const fields = m[5] === undefined ? [] : [...m[5].matchAll(/^ {2}['"]?(\w+)['"]?:/gm)].map((f) => f[1]);
      console.log([file, m[1], m[2], m[3], m[4] ?? m[6], fields.join(',')].join('\t'));
    }
  }
}
process.exit(failed ? 1 : 0);
