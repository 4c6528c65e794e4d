// What the form editor (Sveltia CMS 0.221.1) writes for a file's data: the npm package `yaml`
// at the version Sveltia bundles, with the options of its src/lib/services/contents/file/format.js
// under our config. Reads a JSON array of documents on stdin, writes a JSON array of their YAML
// texts on stdout (one process for many documents: tests/tidy/test_fmt_editor.py).
import { stringify } from 'yaml';

const OPTIONS = {
  indent: 2, indentSeq: true, lineWidth: 0, defaultKeyType: 'PLAIN',
  defaultStringType: 'PLAIN', singleQuote: true,
};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const documents = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const written = documents.map((data) => `${stringify(data, null, OPTIONS).trim()}\n`);
process.stdout.write(JSON.stringify(written));
