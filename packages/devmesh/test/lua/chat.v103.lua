-- A v1.0.3 `protocol: websocket` entry: the docs' chat room plus the login flow.
function on_handshake(client_id, headers, server)
  mix.queue.push("events", { event = "handshake", path = server["RequestUri"], app = headers["X-App"] })
end

function on_message(msg)
  local conn = mix.websocket()
  if msg["type"] ~= "text" then
    conn:send(msg["data"], "binary")
    return
  end
  local tb, err = mix.json_decode(msg["data"])
  if err then
    conn:send('{"error":"bad json"}')
    return
  end
  if tb["op"] == "auth" then
    mix.queue.push("auth", { token = tb["token"] })
    local uid = conn:wait_context_value("uid")
    conn:send('{"logged_in":"' .. tostring(uid) .. '"}')
  elseif tb["op"] == "join" then
    local old = conn:context_value("current_room_id")
    if old then conn:unsubscribe("room:" .. old) end
    conn:subscribe("room:" .. tb["room_id"])
    conn:set_context_value("current_room_id", tb["room_id"])
    conn:send('{"status":"success"}')
  elseif tb["op"] == "send" then
    local room = conn:context_value("current_room_id")
    local success, fail = mix.mesh.publish("room:" .. room, mix.json_encode({ client_id = conn:client_id(), msg = tb["msg"] }))
    conn:send(mix.json_encode({ published = success, failed = fail }))
  elseif tb["op"] == "crash" then
    local t = nil
    return t.field
  else
    mix.queue.push("foo", { uid = conn:context_value("uid"), ctx = conn:context(), frame = msg["data"] })
  end
end

function on_close(client_id, err)
  mix.queue.push("events", { event = "close", client_id = client_id, err = err })
end
