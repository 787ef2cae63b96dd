-- What the default entry does, as a v1.0.3 script: every frame to topic foo with the context.
function on_handshake(client_id, headers, server) end
function on_close(client_id, err) end
function on_message(msg)
  local conn = mix.websocket()
  mix.queue.push("foo", { ctx = conn:context(), msg = msg["data"] })
end
