-- A v1.0.3 `protocol: socket` entry with its own framing: one JSON document per line.
function on_connect(client_id)
  mix.log(mix.DEBUG, "connect " .. client_id)
end

function on_handshake(client_id, headers, server) end

function protocol_input(buf)
  local at = string.find(buf:tostring(), "\n", 1, true)
  if at == nil then
    if buf:length() > 1024 then return -1 end
    return 0
  end
  return at
end

function protocol_decode(str)
  return string.sub(str, 1, -2)
end

function protocol_encode(str)
  return str .. "\n"
end

function on_message(msg)
  local conn = mix.socket.tcp()
  if msg == "quit" then
    conn:send("bye\n")
    conn:close()
    return
  end
  if msg == "self" then
    -- mix.mesh.send to a socket-protocol connection runs protocol_encode inside this hook
    local err = mix.mesh.send(conn:client_id(), "self-sent")
    mix.queue.push("lines", { after_self = err == nil })
    return
  end
  if msg == "wait" then
    local v = conn:wait_context_value("go")
    conn:send("went " .. tostring(v) .. "\n")
    return
  end
  mix.queue.push("lines", { client_id = conn:client_id(), line = msg })
end

function on_close(client_id, err)
  mix.queue.push("lines", { closed = client_id, err = err })
end
