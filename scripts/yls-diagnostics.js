// Prints the diagnostics that yaml-language-server (the server behind the YAML support of VS
// Code and Neovim) publishes for each YAML file given: a check of docs/incident.schema.json
// in a real editor's server, outside `cargo test`. See docs/editors.md.
//
//   npm install yaml-language-server      (in any directory; NODE_PATH points at it)
//   NODE_PATH=path/to/node_modules node scripts/yls-diagnostics.js incidents/*.yaml
//
// The files are opened as they are: the schema comes from their modeline.
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const files = process.argv.slice(2).map(f => path.resolve(f));
const server = spawn('node', [require.resolve('yaml-language-server/bin/yaml-language-server'), '--stdio']);
let buf = Buffer.alloc(0), id = 0;
const settings = { yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false }, schemas: {} } };
function send(msg) {
  const s = JSON.stringify(Object.assign({ jsonrpc: '2.0' }, msg));
  server.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`);
}
const pending = new Set(files.map(f => 'file://' + f));
server.stdout.on('data', d => {
  buf = Buffer.concat([buf, d]);
  for (;;) {
    const sep = buf.indexOf('\r\n\r\n'); if (sep < 0) return;
    const len = parseInt(/Content-Length: (\d+)/.exec(buf.slice(0, sep).toString())[1]);
    if (buf.length < sep + 4 + len) return;
    const msg = JSON.parse(buf.slice(sep + 4, sep + 4 + len).toString());
    buf = buf.slice(sep + 4 + len);
    if (msg.method === 'workspace/configuration') send({ id: msg.id, result: msg.params.items.map(i => i.section === 'yaml' ? settings.yaml : (settings[i.section] || null)) });
    else if (msg.method && msg.id !== undefined) send({ id: msg.id, result: null });
    if (msg.id === 1 && msg.result) {
      send({ method: 'initialized', params: {} });
      send({ method: 'workspace/didChangeConfiguration', params: { settings } });
      for (const f of files) send({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file://' + f, languageId: 'yaml', version: 1, text: fs.readFileSync(f, 'utf8') } } });
    }
    if (msg.method === 'textDocument/publishDiagnostics' && pending.has(msg.params.uri)) {
      console.log('==', path.basename(msg.params.uri), msg.params.diagnostics.length, 'diagnostics');
      for (const d of msg.params.diagnostics) console.log(`  line ${d.range.start.line + 1} col ${d.range.start.character + 1} severity ${d.severity}: ${d.message}`);
      pending.delete(msg.params.uri);
      if (pending.size === 0) { server.kill(); process.exit(0); }
    }
  }
});
send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: 'file://' + process.cwd(), capabilities: { workspace: { configuration: true } } } });
setTimeout(() => { console.log('timeout; still waiting for', [...pending]); server.kill(); process.exit(1); }, 20000);
