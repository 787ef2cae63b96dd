-- v1.0.3 hooks that fail on purpose: a runtime error on line 8, a loop that never ends.
function on_handshake(client_id, headers, server) end
function on_close(client_id, err) end

function on_message(msg)
  local conn = mix.websocket()
  if msg["data"] == "crash" then
    local missing = nil; return missing.field
  end
  if msg["data"] == "spin" then
    while true do end
  end
  if msg["data"] == "http" then
    mix.http.request("GET", "http://127.0.0.1/")
  end
  conn:send("echo " .. msg["data"])
end
