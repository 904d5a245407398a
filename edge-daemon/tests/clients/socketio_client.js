// Seed 000's browser client, run under Node with socket.io-client and its
// default transports (polling, then the upgrade to websocket):
//   node socketio_client.js http://127.0.0.1:PORT
//   node socketio_client.js http://127.0.0.1:PORT buffer   # also emits a Buffer
//                                                          # (a binary event) at once
const { io } = require("socket.io-client");

const socket = io(process.argv[2]);
let updates = 0;
socket.on("connect", () => {
  console.log("Connected");
  if (process.argv[3] === "buffer") socket.emit("blob", Buffer.from([1, 2, 3]), { n: 1 });
});
socket.on("tegrastats_update", (data) => {
  updates++;
  console.log("CPU Usage:", data.cpu.cores[0].usage + "%");
  console.log("Memory:", data.memory.ram.used + "/" + data.memory.ram.total + " MB");
  console.log("Temperature:", data.temperature.cpu + "°C");
  console.log("transport:", socket.io.engine.transport.name);
  if (updates >= 3) socket.disconnect();
});
socket.on("disconnect", () => process.exit(updates >= 3 ? 0 : 1));
socket.on("connect_error", (e) => {
  console.log("connect_error:", e.message);
  process.exit(1);
});
setTimeout(() => process.exit(2), 20000);
