// Runs chat.js — the same module chat.html loads — against a live server from Node, so the
// browser sample is exercised by the project's tests without a browser:
//
//     node check-with-node.mjs ws://127.0.0.1:8080/v1/ws parrot "i am js"
//
// Prints the greeting and the streamed reply, then `ok`. Node 22 has a global WebSocket; for
// older Node (Debian ships 18/20) a minimal RFC 6455 client over `net` stands in: text
// frames only, client frames masked (§5.3), server frames unmasked, enough for this check.

import net from "node:net";
import crypto from "node:crypto";
import { PersonaChat } from "./chat.js";

function tinySocket(url, onText, onOpen, onClose) {
  const { hostname, port, pathname } = new URL(url);
  const tcp = net.connect(Number(port), hostname);
  const key = crypto.randomBytes(16).toString("base64");
  let buffer = Buffer.alloc(0), open = false;
  tcp.on("connect", () => tcp.write(
    `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
    `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`));
  tcp.on("data", (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (!open) {
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString();
      const accept = crypto.createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
      if (!head.startsWith("HTTP/1.1 101") || !head.includes(accept)) throw new Error(`bad handshake: ${head}`);
      buffer = buffer.subarray(end + 4);
      open = true;
      onOpen();
    }
    for (;;) {
      if (buffer.length < 2) return;
      const opcode = buffer[0] & 0x0f;
      let length = buffer[1] & 0x7f, offset = 2;
      if (length === 126) { if (buffer.length < 4) return; length = buffer.readUInt16BE(2); offset = 4; }
      else if (length === 127) { if (buffer.length < 10) return; length = Number(buffer.readBigUInt64BE(2)); offset = 10; }
      if (buffer.length < offset + length) return;
      const payload = buffer.subarray(offset, offset + length);
      buffer = buffer.subarray(offset + length);
      if (opcode === 1) onText(payload.toString("utf8"));
      else if (opcode === 8) { onClose(length >= 2 ? payload.readUInt16BE(0) : 1005); tcp.end(); return; }
    }
  });
  const frame = (opcode, payload) => {
    const mask = crypto.randomBytes(4);
    const length = payload.length;
    const head = length < 126 ? Buffer.from([0x80 | opcode, 0x80 | length])
      : Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff]);
    const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
    tcp.write(Buffer.concat([head, mask, masked]));
  };
  return {
    send: (text) => frame(1, Buffer.from(text, "utf8")),
    close: () => frame(8, Buffer.from([0x03, 0xe8])),
  };
}

const [url, personality, text] = process.argv.slice(2);
const fail = (why) => { console.error(why); process.exit(1); };
setTimeout(() => fail("timed out"), 10_000).unref();

let socket = null;
const chat = new PersonaChat((frame) => socket.send(frame), {
  started: (_session, info, greeting) => {
    console.log(`${info.name}: ${greeting}`);
    chat.say(text); // needs the session id, so it waits for session_started
  },
  token: (delta) => process.stdout.write(`[${delta}]`),
  reply: (reply, finish) => {
    console.log(`\n${reply} (${finish})`);
    chat.end();
  },
  ended: (reason) => {
    console.log(`ended ${reason}`);
    socket.close();
  },
  error: (code, message) => fail(`error ${code}: ${message}`),
});
socket = tinySocket(url, (frame) => chat.receive(frame), () => chat.start({ personality }), (code) => {
  console.log(`closed ${code}`);
  console.log("ok");
});
