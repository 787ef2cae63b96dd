-- A v1.0.2 entry in the shape of connmix/examples laravel-chat: the websocket protocol in Lua
-- over raw bytes, the login held by wait_context_value, every event pushed to topic "chat".
require("prettyprint")
local mix_log = mix.log
local mix_ERROR = mix.ERROR
local websocket = require("protocols/websocket")
local mix_push = mix.queue.push
local topic = "chat"
local auth_op = "auth"
local auth_key = "uid"

function on_connect(conn)
    mix_push("conn", { event = "connect", client_id = conn:client_id() })
end

function on_close(err, conn)
    local n, err = mix_push(topic, { event = "close", uid = conn:context()[auth_key] })
    if err then
        mix_log(mix_ERROR, "push error: " .. err)
        conn:close()
        return
    end
end

function on_handshake(headers, conn)
    local n, err = mix_push(topic, { event = "handshake", headers = headers })
    if err then
        mix_log(mix_ERROR, "push error: " .. err)
        conn:close()
        return
    end
end

function protocol_input(buf, conn)
    return websocket.input(buf, conn, mix.server.option("path") or "/chat", on_handshake)
end

function protocol_decode(str, conn)
    return websocket.decode(conn)
end

function protocol_encode(str, conn)
    return websocket.encode(str)
end

function on_message(data, conn)
    if data["type"] == "ping" then
        websocket.send_text(conn, "pong:" .. data["data"])
        return
    end
    if data["type"] ~= "text" then
        return
    end
    local msg, err = mix.json_decode(data["data"])
    if err then
        mix_log(mix_ERROR, "json_decode error: " .. err)
        return
    end
    local ctx = conn:context()
    local tb = { event = "message", uid = ctx[auth_key], frame = data }
    if msg["op"] == auth_op then
        tb["headers"] = ctx["headers"]
    end
    local n, err = mix_push(topic, tb)
    if err then
        mix_log(mix_ERROR, "push error: " .. err)
        conn:close()
        return
    end
    if msg["op"] == auth_op then
        conn:wait_context_value(auth_key)
    end
end
