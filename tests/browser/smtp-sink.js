#!/usr/bin/env node
/*
 * A small SMTP server for the browser tests: it accepts every message over
 * plain SMTP on 127.0.0.1 and stores it as DIR/NNNN.json
 * ({"mail_from", "rcpt_to", "data"}), written whole and then renamed, so a
 * reader never sees half a message.  No relaying, no AUTH, no STARTTLS.
 *
 *   node smtp-sink.js --dir DIR --port-file FILE [--port N]
 *
 * --port 0 (the default) lets the system choose; the port is written to FILE
 * once the server listens.  Stops on SIGTERM or SIGINT.
 */
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const dir = arg('--dir');
const portFile = arg('--port-file');
const port = Number(arg('--port', '0'));
if (!dir || !portFile) {
  process.stderr.write('usage: smtp-sink.js --dir DIR --port-file FILE [--port N]\n');
  process.exit(64);
}
fs.mkdirSync(dir, { recursive: true });

const MAX_MESSAGE = 10 * 1024 * 1024;
let stored = 0;

function store(mailFrom, rcptTo, data) {
  const n = String(++stored).padStart(4, '0');
  const file = path.join(dir, n + '.json');
  fs.writeFileSync(file + '.tmp', JSON.stringify({ mail_from: mailFrom, rcpt_to: rcptTo, data }));
  fs.renameSync(file + '.tmp', file);
  process.stdout.write(`smtp-sink: stored ${n} from <${mailFrom}> to ${rcptTo.map((r) => '<' + r + '>').join(', ')}\n`);
  return n;
}

function address(arg) {
  const m = /<([^>]*)>/.exec(arg);
  return m ? m[1] : arg.trim().split(/\s+/)[0] || '';
}

const server = net.createServer((sock) => {
  let buf = Buffer.alloc(0);
  let inData = false;
  let dataLines = [];
  let dataSize = 0;
  let mailFrom = null;
  let rcptTo = [];
  const reply = (line) => sock.write(line + '\r\n');

  sock.setTimeout(60000, () => sock.destroy());
  sock.on('error', () => {});
  reply('220 localhost exportctl-test-smtp ESMTP ready');

  function command(line) {
    const verb = line.slice(0, 4).toUpperCase();
    const rest = line.slice(4);
    switch (verb) {
      case 'EHLO':
        reply('250-localhost greets ' + rest.trim());
        reply('250-8BITMIME');
        reply('250-SMTPUTF8');
        reply('250 SIZE ' + MAX_MESSAGE);
        break;
      case 'HELO':
        reply('250 localhost');
        break;
      case 'MAIL':
        if (!/^ FROM:/i.test(rest)) { reply('501 Syntax: MAIL FROM:<address>'); break; }
        mailFrom = address(rest.slice(6));
        rcptTo = [];
        reply('250 OK');
        break;
      case 'RCPT':
        if (mailFrom === null) { reply('503 MAIL first'); break; }
        if (!/^ TO:/i.test(rest)) { reply('501 Syntax: RCPT TO:<address>'); break; }
        rcptTo.push(address(rest.slice(4)));
        reply('250 OK');
        break;
      case 'DATA':
        if (!rcptTo.length) { reply('503 RCPT first'); break; }
        inData = true;
        dataLines = [];
        dataSize = 0;
        reply('354 End data with <CR><LF>.<CR><LF>');
        break;
      case 'RSET':
        mailFrom = null;
        rcptTo = [];
        reply('250 OK');
        break;
      case 'NOOP':
        reply('250 OK');
        break;
      case 'VRFY':
        reply('252 Cannot verify');
        break;
      case 'QUIT':
        reply('221 Bye');
        sock.end();
        break;
      default:
        reply('502 Command not implemented');
    }
  }

  function line(text) {
    if (!inData) { command(text); return; }
    if (text === '.') {
      inData = false;
      const n = store(mailFrom, rcptTo, dataLines.join('\r\n') + '\r\n');
      mailFrom = null;
      rcptTo = [];
      reply('250 OK queued as ' + n);
      return;
    }
    const unstuffed = text.startsWith('.') ? text.slice(1) : text;
    dataSize += unstuffed.length + 2;
    if (dataSize > MAX_MESSAGE) { reply('552 Message too big'); sock.destroy(); return; }
    dataLines.push(unstuffed);
  }

  sock.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    let nl;
    while ((nl = buf.indexOf(10)) >= 0) {
      let end = nl;
      if (end > 0 && buf[end - 1] === 13) end--;
      const text = buf.subarray(0, end).toString('utf8');
      buf = buf.subarray(nl + 1);
      line(text);
    }
    if (!inData && buf.length > 4096) { reply('500 Line too long'); sock.destroy(); }
  });
});

server.listen(port, '127.0.0.1', () => {
  fs.writeFileSync(portFile + '.tmp', String(server.address().port));
  fs.renameSync(portFile + '.tmp', portFile);
  process.stdout.write('smtp-sink: listening on 127.0.0.1:' + server.address().port + '\n');
});

function stop() {
  server.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
