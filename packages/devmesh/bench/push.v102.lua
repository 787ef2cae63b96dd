-- The same as a v1.0.2 script: the WebSocket protocol is parsed by the Lua module.
local websocket = require("protocols/websocket")
function on_connect(conn) end
function on_close(err, conn) end
function protocol_input(buf, conn) return websocket.input(buf, conn, "/chat", nil) end
function protocol_decode(str, conn) return websocket.decode(conn) end
function protocol_encode(str, conn) return websocket.encode(str) end
function on_message(data, conn)
  mix.queue.push("foo", { ctx = conn:context(), msg = data["data"] })
end
